//! A TCP forwarder the tests control: in front of PostgreSQL or Redis, it can cut every
//! connection (and refuse new ones) and let them through again, as a network fault would.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

pub struct FaultProxy {
    /// The port to connect to instead of the upstream's.
    pub port: u16,
    state: Arc<State>,
    accepting: JoinHandle<()>,
}

#[derive(Default)]
struct State {
    cut: AtomicBool,
    connections: Mutex<Vec<JoinHandle<()>>>,
}

impl FaultProxy {
    /// Forwards a free local port to `upstream`.
    pub async fn start(upstream: SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let state = Arc::new(State::default());
        let accepting = tokio::spawn({
            let state = Arc::clone(&state);
            async move {
                while let Ok((mut inbound, _)) = listener.accept().await {
                    if state.cut.load(Ordering::SeqCst) {
                        drop(inbound);
                        continue;
                    }
                    let connection = tokio::spawn(async move {
                        if let Ok(mut outbound) = TcpStream::connect(upstream).await {
                            let _ =
                                tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                        }
                    });
                    state.connections.lock().unwrap().push(connection);
                }
            }
        });
        Self {
            port,
            state,
            accepting,
        }
    }

    /// Drops every open connection and refuses new ones.
    pub fn cut(&self) {
        self.state.cut.store(true, Ordering::SeqCst);
        for connection in self.state.connections.lock().unwrap().drain(..) {
            connection.abort();
        }
    }

    /// Lets connections through again.
    pub fn restore(&self) {
        self.state.cut.store(false, Ordering::SeqCst);
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.cut();
        self.accepting.abort();
    }
}
