"""A loopback TCP proxy in front of HQ that can break connections on purpose: reset the
next N connections (RST as soon as the request arrives) or stall them (read the request,
never answer, so the client's read timeout fires). Everything else is forwarded as is."""

from __future__ import annotations

import contextlib
import socket
import struct
import threading


class FaultProxy:
    def __init__(self, target_port: int):
        self.target = ("127.0.0.1", target_port)
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.lock = threading.Lock()
        self.resets = 0  # connections still to reset
        self.stalls = 0  # connections still to stall
        self.broken = 0  # how many were broken, for the test to check
        self.connections = 0
        self._stalled: list[socket.socket] = []
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def reset_next(self, n: int) -> None:
        with self.lock:
            self.resets = n

    def stall_next(self, n: int) -> None:
        with self.lock:
            self.stalls = n

    def close(self) -> None:
        self._closed = True
        self.listener.close()
        for s in self._stalled:
            s.close()

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            with self.lock:
                self.connections += 1
                action = "reset" if self.resets else "stall" if self.stalls else "forward"
                if action == "reset":
                    self.resets -= 1
                elif action == "stall":
                    self.stalls -= 1
                if action != "forward":
                    self.broken += 1
            threading.Thread(target=getattr(self, f"_{action}"), args=(client,),
                             daemon=True).start()

    def _reset(self, client: socket.socket) -> None:
        client.recv(65536)  # the request has been sent: the client waits for an answer
        client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        client.close()  # linger 0: the kernel answers with RST

    def _stall(self, client: socket.socket) -> None:
        client.recv(65536)
        self._stalled.append(client)  # never answered; closed with the proxy

    def _forward(self, client: socket.socket) -> None:
        try:
            upstream = socket.create_connection(self.target)
        except OSError:
            client.close()
            return
        for a, b in ((client, upstream), (upstream, client)):
            threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
