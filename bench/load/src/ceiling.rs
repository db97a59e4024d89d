//! The ceiling: the fastest answer this machine gives to Q1's request, a
//! minimal actix-web server returning Q1's exact bytes from memory. Cairn's
//! figures are reported as a ratio to it, measured in the same run.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use actix_web::{App, HttpResponse, HttpServer, web};

use crate::Outcome;

/// Runs the ceiling server until killed.
pub fn serve(port: u16, body: PathBuf) -> Outcome {
    let bytes = web::Bytes::from(std::fs::read(body)?);
    let system = actix_web::rt::System::new();
    system.block_on(async move {
        HttpServer::new(move || {
            let bytes = bytes.clone();
            App::new().default_service(web::to(move || {
                let bytes = bytes.clone();
                async move {
                    HttpResponse::Ok()
                        .content_type("application/json")
                        .body(bytes)
                }
            }))
        })
        .bind(("127.0.0.1", port))?
        .run()
        .await
    })?;
    Ok(())
}

/// The ceiling running in a process of its own, killed when dropped.
pub struct Ceiling {
    child: Child,
    port: u16,
    _body: tempfile::NamedTempFile,
}

impl Ceiling {
    pub async fn start(body: &str) -> Outcome<Ceiling> {
        let file = tempfile::NamedTempFile::new()?;
        std::fs::write(file.path(), body)?;
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let child = Command::new(std::env::current_exe()?)
            .args(["ceiling", "--port", &port.to_string(), "--body"])
            .arg(file.path())
            .stdout(Stdio::null())
            .spawn()?;
        let ceiling = Ceiling {
            child,
            port,
            _body: file,
        };
        for _ in 0..5000 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Ok(ceiling);
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        Err("the ceiling server did not start".into())
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }
}

impl Drop for Ceiling {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
