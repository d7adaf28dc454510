"""srun --pty on a running local cluster, driven the way a user types at a terminal: srun
runs on the slave side of a pseudo-terminal this test holds the master of, as a session
leader with that terminal as its controlling terminal (so resizing it sends SIGWINCH).

Reads wait for a pattern with a deadline; nothing sleeps a fixed time.
"""
import fcntl
import os
import re
import select
import struct
import subprocess
import termios
import time

import pytest

from cluster import cancel_all, local_cluster, shared_dir  # noqa: F401 (fixtures)

DEADLINE = 30  # seconds for any one expected output
PROMPT = "pty-prompt> "


@pytest.fixture(autouse=True)
def no_job_left(local_cluster):
    yield
    cancel_all(local_cluster)


def set_window_size(fd, rows, cols):
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


class Terminal:
    """The master side of a pty with srun on its slave."""

    def __init__(self, master, slave, proc):
        self.master = master
        self.slave = slave  # kept open: its mode is read before, during and after srun
        self.proc = proc
        self.seen = b""  # everything read so far
        self.pos = 0  # where the next expect() starts looking

    def write(self, data):
        os.write(self.master, data)

    def expect(self, pattern, timeout=DEADLINE):
        """Reads until `pattern` (a bytes regex) appears after the previous match."""
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        while True:
            match = regex.search(self.seen, self.pos)
            if match:
                self.pos = match.end()
                return match
            left = deadline - time.monotonic()
            if left <= 0:
                pytest.fail(f"no {pattern!r} within {timeout}s; the terminal showed "
                            f"{self.seen[self.pos:]!r} (srun exit: {self.proc.poll()})")
            ready, _, _ = select.select([self.master], [], [], left)
            if ready:
                try:
                    chunk = os.read(self.master, 65536)
                except OSError:  # EIO: nothing holds the slave any more
                    chunk = b""
                if not chunk and self.proc.poll() is not None:
                    pytest.fail(f"srun exited ({self.proc.returncode}) before {pattern!r}; "
                                f"the terminal showed {self.seen[self.pos:]!r}")
                self.seen += chunk

    def wait(self, timeout=DEADLINE):
        """srun's exit code, reading (and keeping) the output meanwhile."""
        deadline = time.monotonic() + timeout
        while self.proc.poll() is None:
            left = deadline - time.monotonic()
            if left <= 0:
                pytest.fail(f"srun still runs after {timeout}s; the terminal showed "
                            f"{self.seen[self.pos:]!r}")
            ready, _, _ = select.select([self.master], [], [], min(left, 0.5))
            if ready:
                try:
                    self.seen += os.read(self.master, 65536)
                except OSError:
                    pass
        return self.proc.returncode


@pytest.fixture
def terminal(local_cluster, shared_dir):
    """Starts `srun -N1 --pty /bin/sh` on a 30x100 terminal; kills srun (by pid) if the
    test leaves it running."""
    master, slave = os.openpty()
    set_window_size(slave, 30, 100)

    def controlling_terminal():
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    env = dict(local_cluster.env, PS1=PROMPT, TERM="xterm")
    proc = subprocess.Popen(["srun", "-N1", "--pty", "/bin/sh"], stdin=slave, stdout=slave,
                            stderr=slave, cwd=shared_dir, env=env, start_new_session=True,
                            preexec_fn=controlling_terminal)
    term = Terminal(master, slave, proc)
    try:
        yield term
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)
        os.close(master)
        os.close(slave)


def test_interactive_shell_on_a_pty(terminal):
    cooked = termios.tcgetattr(terminal.slave)
    assert cooked[3] & termios.ICANON and cooked[3] & termios.ECHO

    terminal.expect(re.escape(PROMPT.encode()))
    # srun has put its terminal in raw mode: no echo, no line editing, no signals.
    raw = termios.tcgetattr(terminal.slave)
    assert not raw[3] & (termios.ICANON | termios.ECHO | termios.ISIG)

    terminal.write(b"echo hello-$((6*7))\r")
    terminal.expect(rb"hello-42\r\n")
    terminal.expect(re.escape(PROMPT.encode()))

    terminal.write(b"tty; stty size\r")
    terminal.expect(rb"/dev/pts/\d+\r\n30 100\r\n")

    # A resize reaches the remote terminal (srun gets SIGWINCH and sends the new size).
    set_window_size(terminal.slave, 41, 123)
    terminal.write(b"stty size\r")
    terminal.expect(rb"41 123\r\n")

    # ^C is a byte for the remote terminal: it interrupts the command, not srun.
    terminal.write(b"echo sleeping-$((3*3)); sleep 100\r")
    terminal.expect(rb"sleeping-9\r\n")
    started = time.monotonic()
    terminal.write(b"\x03")
    terminal.write(b"echo back-$((2+3))\r")
    terminal.expect(rb"back-5\r\n")
    assert time.monotonic() - started < 60
    assert terminal.proc.poll() is None
    assert b"interrupt (one more within 1 sec" not in terminal.seen

    terminal.write(b"exit 3\r")
    assert terminal.wait() == 3
    restored = termios.tcgetattr(terminal.slave)
    assert restored[:6] == cooked[:6]


def test_pty_without_a_local_terminal(local_cluster, shared_dir):
    # stdin is not a terminal: srun relays, and the task still runs on a pseudo-terminal.
    # (run() reads text: the terminal's "\r\n" arrives as "\n".)
    r = local_cluster.run("srun", "-N1", "--pty", "tty", input="", cwd=shared_dir)
    assert r.returncode == 0, r.stderr
    assert re.fullmatch(r"/dev/pts/\d+\n", r.stdout), r.stdout
    # The end of srun's input is the terminal's end of file: the shell exits normally.
    r = local_cluster.run("srun", "-N1", "--pty", "/bin/sh", input="echo piped-$((5*5))\n",
                          cwd=shared_dir, env={"PS1": ""})
    assert r.returncode == 0, r.stderr
    assert "piped-25\n" in r.stdout, r.stdout


def test_pty_tasks_beyond_zero_write_to_dev_null(local_cluster, shared_dir):
    r = local_cluster.run("srun", "-N1", "-n2", "--pty", "sh", "-c",
                          "echo task-$SLURM_PROCID; if [ -t 0 ]; then echo tty-$SLURM_PROCID; fi",
                          input="", cwd=shared_dir)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "task-0\ntty-0\n", r.stdout
