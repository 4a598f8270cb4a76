//! Where server-side state lives. Today: sessions, in memory.

mod memory_sessions;

pub use memory_sessions::MemorySessionStore;
