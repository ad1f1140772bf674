//! A real Redis server for a test: Debian's `redis-server` (or `ALIPREFETCH_REDIS_SERVER`), on loopback,
//! on a free port, without persistence, stopped when dropped. It can be stopped and started again on
//! the same port, as an outage would.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct RedisServer {
    binary: String,
    port: u16,
    dir: tempfile::TempDir,
    child: Option<Child>,
}

impl RedisServer {
    /// A running server; `None` when there is no `redis-server` here, which CI (`CI` set) refuses.
    pub fn start() -> Option<RedisServer> {
        let binary = std::env::var("ALIPREFETCH_REDIS_SERVER").unwrap_or_else(|_| "redis-server".into());
        let found = Command::new(&binary).arg("--version").stdout(Stdio::null()).status().is_ok_and(|s| s.success());
        if !found {
            assert!(std::env::var_os("CI").is_none(), "CI needs `{binary}` (Debian's redis-server)");
            eprintln!("skipped: no `{binary}` on this machine (apt-get install redis-server)");
            return None;
        }
        let port = TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port();
        let mut server =
            RedisServer { binary, port, dir: tempfile::tempdir().expect("a temporary directory"), child: None };
        server.restart();
        Some(server)
    }

    /// `redis://127.0.0.1:<port>/0` with `query` (e.g. `?key_prefix=t1`).
    pub fn url(&self, query: &str) -> String {
        format!("redis://127.0.0.1:{}/0{query}", self.port)
    }

    /// Kills the server (its data is gone, as with a crashed server without persistence).
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts the server (again) on the same port and waits until it answers PING.
    pub fn restart(&mut self) {
        self.stop();
        let child = Command::new(&self.binary)
            .args(["--bind", "127.0.0.1", "--port", &self.port.to_string(), "--save", "", "--appendonly", "no"])
            .arg("--dir")
            .arg(self.dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server starts");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(30);
        while !self.answers() {
            assert!(Instant::now() < deadline, "redis-server did not answer on port {} within 30 s", self.port);
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Runs one command (`args` as a RESP array) and returns the raw answer.
    pub fn command(&self, args: &[&str]) -> String {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connects to redis");
        stream.set_read_timeout(Some(Duration::from_secs(5))).expect("a timeout");
        let mut request = format!("*{}\r\n", args.len());
        for a in args {
            request.push_str(&format!("${}\r\n{a}\r\n", a.len()));
        }
        stream.write_all(request.as_bytes()).expect("writes");
        let mut answer = vec![0u8; 64 * 1024];
        let n = stream.read(&mut answer).expect("an answer");
        String::from_utf8_lossy(&answer[..n]).into_owned()
    }

    fn answers(&self) -> bool {
        let Ok(mut stream) = TcpStream::connect(("127.0.0.1", self.port)) else {
            return false;
        };
        let _ = stream.set_read_timeout(Some(Duration::from_secs(1)));
        let mut buf = [0u8; 16];
        stream.write_all(b"PING\r\n").is_ok() && stream.read(&mut buf).is_ok_and(|n| buf[..n].starts_with(b"+PONG"))
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.stop();
    }
}
