//! The HTTP application: every route, the shared state and the error
//! handlers, assembled once for `cairn serve` and for the tests.

use std::net::TcpListener;

use actix_web::dev::Server;
use actix_web::{App, HttpServer, web};
use cairn_core::AppContext;
use tracing_actix_web::TracingLogger;

use crate::http::extract::{json_config, path_config, query_config};
use crate::routes;

pub use actix_web::dev::ServerHandle;

/// Registers state and routes on an actix `App`.
pub fn configure(context: AppContext) -> impl Fn(&mut web::ServiceConfig) + Clone {
    move |cfg: &mut web::ServiceConfig| {
        let limit = context.config().server.max_body_bytes;
        cfg.app_data(web::Data::new(context.clone()))
            .app_data(json_config(limit))
            .app_data(query_config())
            .app_data(path_config())
            .configure(routes::health::configure)
            .configure(routes::management::configure)
            .configure(cairn_admin::configure);
    }
}

/// Starts serving on `listener`; the returned server runs until stopped.
pub fn serve(context: AppContext, listener: TcpListener) -> std::io::Result<Server> {
    let workers = match context.config().server.workers {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    };
    let routes = configure(context);
    let server = HttpServer::new(move || {
        App::new()
            .wrap(TracingLogger::default())
            .configure(routes.clone())
    })
    .workers(workers)
    .listen(listener)?
    .run();
    Ok(server)
}
