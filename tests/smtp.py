"""A mail server for tests and drills: accepts every message and keeps it, or holds the first
`stall` messages mid-transfer (no reply after DATA) to leave a sender hanging."""

from __future__ import annotations

import email
import email.header
import socketserver
import threading


class SmtpSink:
    def __init__(self, *, stall: int = 0) -> None:
        self.messages: list[email.message.Message] = []
        self.stall = stall
        self.stalled = threading.Event()
        self._lock = threading.Lock()
        sink = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                sink._session(self.rfile, self.wfile)

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> SmtpSink:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def subjects(self) -> list[str]:
        with self._lock:
            return [
                str(email.header.make_header(email.header.decode_header(m["Subject"] or "")))
                for m in self.messages
            ]

    def _session(self, rfile, wfile) -> None:
        def reply(line: str) -> None:
            wfile.write(line.encode() + b"\r\n")
            wfile.flush()

        reply("220 sink ready")
        while line := rfile.readline():
            verb = line[:4].upper()
            if verb == b"DATA":
                reply("354 go on")
                data = []
                while (chunk := rfile.readline()) not in {b".\r\n", b".\n", b""}:
                    data.append(chunk[1:] if chunk.startswith(b"..") else chunk)
                with self._lock:
                    hold = self.stall > 0
                    if hold:
                        self.stall -= 1
                if hold:
                    self.stalled.set()
                    while rfile.read(1):  # until the sender gives up or is killed
                        pass
                    return
                with self._lock:
                    self.messages.append(email.message_from_bytes(b"".join(data)))
                reply("250 queued")
            elif verb == b"QUIT":
                reply("221 bye")
                return
            else:  # EHLO, HELO, MAIL, RCPT, RSET, NOOP
                reply("250 ok")
