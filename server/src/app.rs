//! The HTTP application: every route, the shared state, the middleware and
//! the error handlers, assembled once for `cairn serve` and for the tests.

use std::net::TcpListener;

use actix_cors::Cors;
use actix_web::dev::Server;
use actix_web::middleware::{Compress, Condition};
use actix_web::{App, HttpServer, web};
use cairn_core::AppContext;
use tracing_actix_web::TracingLogger;

pub use actix_web::dev::ServerHandle;

use crate::http::conditional::EncodedEtags;
use crate::http::error::{ApiError, ApiResult};
use crate::http::extract::{json_config, path_config, query_config};
use crate::http::response_cache::ResponseCache;
use crate::routes;

/// Registers state and routes. Specific routes come first: the content
/// routes match any name under `/api`.
pub fn configure(
    context: AppContext,
    cache: web::Data<ResponseCache>,
) -> impl Fn(&mut web::ServiceConfig) + Clone {
    move |cfg: &mut web::ServiceConfig| {
        let limit = context.config().server.max_body_bytes;
        cfg.app_data(web::Data::new(context.clone()))
            .app_data(cache.clone())
            .app_data(json_config(limit))
            .app_data(query_config())
            .app_data(path_config())
            .configure(routes::health::configure)
            .configure(routes::management::configure)
            .configure(routes::openapi::configure)
            .configure(routes::upload::configure)
            .configure(routes::uploads::configure)
            .configure(cairn_admin::configure)
            .configure(routes::content::configure)
            .default_service(web::to(not_found));
    }
}

async fn not_found() -> ApiResult<actix_web::HttpResponse> {
    Err(ApiError::not_found("Not Found"))
}

fn cors(origins: &[String]) -> Cors {
    let cors = Cors::default()
        .allow_any_method()
        .allow_any_header()
        .expose_headers(["etag"])
        .max_age(600);
    if origins.iter().any(|origin| origin == "*") {
        cors.allow_any_origin()
    } else {
        origins
            .iter()
            .fold(cors, |cors, origin| cors.allowed_origin(origin))
    }
}

/// Starts serving on `listener`; the returned server runs until stopped.
pub fn serve(context: AppContext, listener: TcpListener) -> std::io::Result<Server> {
    let config = context.config().clone();
    let workers = match config.server.workers {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    };
    context.watch_changes();
    let cache = web::Data::new(ResponseCache::new(config.api.response_cache_bytes));
    let routes = configure(context, cache);
    // Request spans (ids, routes, statuses) are built only when they can be
    // seen: at `warn` their fields cost a sixth of a cached read.
    let request_spans = tracing::level_enabled!(tracing::Level::INFO);
    let server = HttpServer::new(move || {
        App::new()
            .wrap(Compress::default())
            .wrap(EncodedEtags)
            .wrap(cors(&config.api.cors_origins))
            .wrap(Condition::new(request_spans, TracingLogger::default()))
            .configure(routes.clone())
    })
    .workers(workers)
    .listen(listener)?
    .run();
    Ok(server)
}
