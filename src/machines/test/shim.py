# nixvm's test shim: runs a NixOS test script (its `testScript`) with the
# names the NixOS test driver gives it, and forwards every call on a
# machine to nixvm, which does the work (ssh, waiting, timeouts, logs) and
# answers. One JSON line each way on descriptor 3. Embedded in nixvm; not
# a module to import.
#
#   python3 shim.py version        exit 0 for Python 3.9 or newer
#   python3 shim.py check SCRIPT   parse only: {"names": [...]} or
#                                  {"error": {"line", "column", "message"}}
#   python3 shim.py run SCRIPT     run it (the machines from
#                                  NIXVM_TEST_MACHINES, a JSON list of
#                                  [name, python name])

import datetime
import json
import math
import os
import socket
import sys
import threading
import time
import traceback
import unittest

SHIM = os.path.abspath(__file__)


class RequestedAssertionFailed(AssertionError):
    """What the script asked for did not hold."""


class MachineError(Exception):
    """A machine could not do what was asked, through no fault of the script."""


class PollingConditionError(Exception):
    pass


RAISE = {
    "assertion": RequestedAssertionFailed,
    "machine": MachineError,
    "polling": PollingConditionError,
    "type": TypeError,
}


def seconds(value, name="timeout"):
    """A duration as seconds: an int or float, or a timedelta."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise TypeError(f"{name} must be a number of seconds or a datetime.timedelta, not a bool")
    if isinstance(value, datetime.timedelta):
        return value.total_seconds()
    if isinstance(value, (int, float)):
        value = float(value)
        if math.isnan(value):
            raise ValueError(f"{name} is not a number")
        # Longer than anything runs: no limit.
        return None if math.isinf(value) else value
    raise TypeError(f"{name} must be a number of seconds or a datetime.timedelta")


class Channel:
    def __init__(self, fd):
        self.sock = socket.socket(fileno=fd)
        self.reader = self.sock.makefile("rb")
        self.polling = []  # active polling conditions, innermost last
        # One call at a time, whatever thread makes it (a polling
        # condition's calls come within a call, on its thread).
        self.lock = threading.RLock()
        # Out of step with nixvm (Ctrl-C in the middle of a call), or gone.
        self.closed = False

    def call(self, _call, _machine=None, **args):
        request = {"call": _call}
        if args:
            request["args"] = args
        if _machine is not None:
            request["machine"] = _machine
        with self.lock:
            if self.closed:
                raise KeyboardInterrupt
            try:
                return self.exchange(request)
            except KeyboardInterrupt:
                # The call's answer may still come: nothing read from now
                # on would be the answer to what was asked.
                self.closed = True
                raise

    def exchange(self, request):
        self.sock.sendall(json.dumps(request).encode() + b"\n")
        while True:
            line = self.reader.readline()
            if not line:
                self.closed = True
                raise MachineError("nixvm ended the test")
            answer = json.loads(line)
            if "poll" in answer:
                self.sock.sendall(json.dumps({"polled": check_polling_conditions()}).encode() + b"\n")
                continue
            if "error" in answer:
                error = answer["error"]
                raise RAISE.get(error["kind"], MachineError)(error["message"])
            return answer["ok"]


channel = None


def call(_call, _machine=None, **args):
    return channel.call(_call, _machine, **args)


class Machine:
    """A machine of the project, as the driver's `Machine`: each call is
    nixvm's to carry out on the running VM, over ssh."""

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return f"<Machine '{self.name}'>"

    def _call(self, _call, **args):
        return call(_call, self.name, **args)

    # Commands.
    def execute(self, command, check_return=True, check_output=True, timeout=datetime.timedelta(minutes=15)):
        rc, out = self._call("execute", command=command, check_return=check_return,
                             check_output=check_output, timeout=seconds(timeout))
        return rc, out

    def succeed(self, *commands, timeout=None):
        return self._call("succeed", commands=list(commands), timeout=seconds(timeout))

    def fail(self, *commands, timeout=None):
        return self._call("fail", commands=list(commands), timeout=seconds(timeout))

    def wait_until_succeeds(self, command, timeout=datetime.timedelta(minutes=15)):
        return self._call("wait_until_succeeds", command=command, timeout=seconds(timeout))

    def wait_until_fails(self, command, timeout=datetime.timedelta(minutes=15)):
        return self._call("wait_until_fails", command=command, timeout=seconds(timeout))

    def sleep(self, secs=None, duration=None):
        self._call("sleep", seconds=seconds(duration if duration is not None else secs, "secs"))

    # Units.
    def systemctl(self, q, user=None):
        rc, out = self._call("systemctl", q=q, user=user)
        return rc, out

    def get_unit_info(self, unit, user=None):
        return self._call("get_unit_info", unit=unit, user=user)

    def get_unit_property(self, unit, property, user=None):
        return self._call("get_unit_property", unit=unit, property=property, user=user)

    def require_unit_state(self, unit, require_state="active"):
        self._call("require_unit_state", unit=unit, require_state=require_state)

    def start_job(self, jobname, user=None):
        rc, out = self._call("start_job", unit=jobname, user=user)
        return rc, out

    def stop_job(self, jobname, user=None):
        rc, out = self._call("stop_job", unit=jobname, user=user)
        return rc, out

    def wait_for_unit(self, unit, user=None, timeout=datetime.timedelta(minutes=15)):
        self._call("wait_for_unit", unit=unit, user=user, timeout=seconds(timeout))

    # Files and ports.
    def wait_for_file(self, filename, timeout=datetime.timedelta(minutes=15)):
        self._call("wait_for_file", filename=filename, timeout=seconds(timeout))

    def wait_for_open_port(self, port, addr="localhost", timeout=datetime.timedelta(minutes=15)):
        self._call("wait_for_open_port", port=int(port), addr=str(addr), timeout=seconds(timeout))

    def wait_for_closed_port(self, port, addr="localhost", timeout=datetime.timedelta(minutes=15)):
        self._call("wait_for_closed_port", port=int(port), addr=str(addr), timeout=seconds(timeout))

    def wait_for_open_unix_socket(self, addr, is_datagram=False, timeout=datetime.timedelta(minutes=15)):
        self._call("wait_for_open_unix_socket", addr=addr, is_datagram=is_datagram, timeout=seconds(timeout))

    def copy_from_host(self, source, target):
        self._call("copy_from_host", source=os.path.abspath(str(source)), target=str(target))

    def copy_from_host_via_shell(self, source, target):
        self._call("copy_from_host_via_shell", source=os.path.abspath(str(source)), target=str(target))

    def copy_from_machine(self, source, target_dir=""):
        self._call("copy_from_machine", source=str(source), target_dir=str(target_dir))

    copy_from_vm = copy_from_machine

    # The VM itself.
    def start(self, allow_reboot=False):
        self._call("start", allow_reboot=allow_reboot)

    def shutdown(self):
        self._call("shutdown")

    def reboot(self):
        self._call("reboot")

    def crash(self):
        self._call("crash")

    def wait_for_shutdown(self):
        self._call("wait_for_shutdown")

    def is_up(self):
        return self._call("is_up")

    def connect(self):
        self._call("execute", command="true", check_return=True, check_output=True, timeout=None)

    def wait_for_console_text(self, regex, timeout=None):
        self._call("wait_for_console_text", regex=regex, timeout=seconds(timeout))

    def get_console_log(self):
        return self._call("get_console_log")

    def block(self):
        self._call("block")

    def unblock(self):
        self._call("unblock")

    def send_monitor_command(self, command):
        return self._call("send_monitor_command", command=command)

    def forward_port(self, host_port=8080, guest_port=80):
        self._call("forward_port", host_port=int(host_port), guest_port=int(guest_port))

    def screenshot(self, filename):
        self._call("screenshot", filename=str(filename))

    def log(self, msg):
        call("log", self.name, message=str(msg))

    def nested(self, msg, attrs={}):
        return Nested(f"{self.name}: {msg}")

    def release(self):
        pass


# What nixvm's machines cannot do: each raises, naming itself and why.
UNSUPPORTED = [
    "send_key", "send_chars", "send_console", "get_screen_text", "get_screen_text_variants",
    "wait_for_text", "wait_for_x", "wait_for_window", "get_window_names", "get_tty_text",
    "wait_until_tty_matches", "dump_tty_contents", "wait_for_qmp_event", "switch_root",
    "shell_interact", "console_interact", "ssh_backdoor_command",
]


class Unavailable:
    """A global of the driver's that nixvm cannot give: using it says so."""

    def __init__(self, name, why):
        self._name = name
        self._why = why

    def _refuse(self, *args, **kwargs):
        raise MachineError(f"{self._name} is not available in nixvm test: {self._why}")

    __call__ = _refuse

    def __getattr__(self, attr):
        if attr.startswith("__"):
            raise AttributeError(attr)
        self._refuse()


def unsupported(method):
    def refuse(self, *args, **kwargs):
        self._call("unsupported", method=method)
    refuse.__name__ = method
    return refuse


for _method in UNSUPPORTED:
    setattr(Machine, _method, unsupported(_method))


class Nested:
    """A nested, timed block of the log."""

    def __init__(self, message):
        self.message = message

    def __enter__(self):
        call("nested_start", message=self.message)
        return self

    def __exit__(self, kind, value, tb):
        if not channel.closed:
            call("nested_end", failed=kind is not None)
        return False


class Log:
    """The driver's `log`."""

    def log(self, msg, attrs={}):
        call("log", message=str(msg))

    info = warning = debug = log

    def error(self, msg, attrs={}):
        call("test_error", message=str(msg))
        sys.exit(1)

    def log_test_error(self, msg, attrs={}):
        call("test_error", message=str(msg))

    def nested(self, msg, attrs={}):
        return Nested(str(msg))

    def subtest(self, name, attrs={}):
        return Subtest(name)


class Subtest:
    def __init__(self, name):
        self.name = name

    def __enter__(self):
        call("subtest_start", name=self.name)
        return self

    def __exit__(self, kind, value, tb):
        if channel.closed:
            return False
        error = None if kind is None else f'Test "{self.name}" failed with error: "{value}"'
        call("subtest_end", error=error)
        return False


def subtest(name):
    return Subtest(name)


def start_all():
    call("start_all")


def join_all():
    call("join_all")


def serial_stdout_on():
    call("serial_stdout", on=True)


def serial_stdout_off():
    call("serial_stdout", on=False)


def retry(fn, timeout_seconds=None, timeout=None):
    """Call fn(last_try) about once a second until it returns true; after
    the timeout (15 minutes), once more, then fail."""
    if timeout is not None and timeout_seconds is not None:
        raise TypeError("retry() got both 'timeout' and 'timeout_seconds' arguments. Pass only 'timeout'")
    limit = seconds(timeout if timeout is not None else timeout_seconds)
    if limit is None:
        limit = 900.0
    start = time.monotonic()
    while time.monotonic() - start < limit:
        if fn(False):
            return
        time.sleep(1)
    elapsed = time.monotonic() - start
    if not fn(True):
        raise RequestedAssertionFailed(f"action timed out after {elapsed:.2f} seconds (timeout={limit})")


class PollingCondition:
    """A condition checked before each command on a machine while its
    `with` block runs (at most once an interval)."""

    def __init__(self, fun, interval, description):
        self.fun = fun
        self.interval = interval
        self.description = description or fun.__doc__ or fun.__name__
        self.last_called = float("-inf")
        self.busy = False

    def check(self, force=False):
        if self.busy or (not force and self.last_called + self.interval >= time.monotonic()):
            return True
        self.busy = True
        try:
            with Nested(f"Checking polling condition {self.description!r}"):
                try:
                    ok = self.fun()
                    ok = True if ok is None else bool(ok)
                except Exception:
                    ok = False
                call("log", message=f"Polling condition {'succeeded' if ok else 'failed'}: {self.description}")
            return ok
        finally:
            self.busy = False
            self.last_called = time.monotonic()

    def maybe_raise(self):
        if not self.check():
            raise PollingConditionError(f"Polling condition failed: {self.description}")

    def __enter__(self):
        channel.polling.append(self)
        call("polling", active=True)
        return self

    def __exit__(self, kind, value, tb):
        channel.polling.remove(self)
        if not channel.closed:
            call("polling", active=bool(channel.polling))
        return False

    def wait(self, timeout_seconds=None, timeout=None):
        with Nested(f"waiting for {self.description}"):
            def condition(last_try):
                if last_try:
                    call("log", message=f"Last chance for {self.description}")
                ok = self.check(force=True)
                if not ok and not last_try:
                    call("log", message=f"({self.description} failure not fatal yet)")
                return ok
            retry(condition, timeout_seconds, timeout)


def check_polling_conditions():
    """What nixvm asks before a command while conditions are active: None,
    or why one failed."""
    for condition in list(channel.polling):
        try:
            condition.maybe_raise()
        except PollingConditionError as e:
            return str(e)
    return None


def polling_condition(fun=None, *, seconds_interval=None, interval=None, description=None):
    if seconds_interval is not None and interval is not None:
        raise TypeError("polling_condition() got both 'interval' and 'seconds_interval'")
    every = seconds(interval if interval is not None else seconds_interval, "interval")
    every = 2.0 if every is None else every

    def wrap(f):
        return PollingCondition(f, every, description)
    return wrap if fun is None else wrap(fun)


class TestCase(unittest.TestCase):
    failureException = RequestedAssertionFailed

    def runTest(self):
        pass


def script_frames(tb, script):
    """The traceback's frames in the script and the user's own modules,
    not the shim's."""
    return [f for f in traceback.extract_tb(tb) if os.path.abspath(f.filename) != SHIM]


def report(error, script):
    """A failure as the driver shows it: `!!!` lines, the traceback at
    the script's lines (on stderr when nixvm is gone)."""
    lines = ["Traceback (most recent call last):"]
    for frame in script_frames(error.__traceback__, script):
        lines.extend(traceback.format_list([frame])[0].rstrip("\n").split("\n"))
    lines.append("")
    lines.extend(f"{type(error).__name__}: {error}".split("\n"))
    for line in lines:
        if channel.closed:
            print(f"!!! {line}", file=sys.stderr)
        else:
            call("test_error", message=line)


def check(path):
    import ast
    try:
        with open(path, encoding="utf-8") as f:
            source = f.read()
        tree = ast.parse(source, path)
    except SyntaxError as e:
        return {"error": {"line": e.lineno or 1, "column": e.offset or 1, "message": e.msg}}
    except (OSError, UnicodeDecodeError, ValueError) as e:
        return {"error": {"line": 1, "column": 1, "message": str(e)}}
    names = sorted({n.id for n in ast.walk(tree) if isinstance(n, ast.Name)})
    return {"names": names}


def run(path):
    global channel
    channel = Channel(3)
    machines = []
    symbols = {
        "__name__": "__main__",
        "__file__": path,
        "os": os,
        "start_all": start_all,
        "join_all": join_all,
        "subtest": subtest,
        "retry": retry,
        "polling_condition": polling_condition,
        "serial_stdout_on": serial_stdout_on,
        "serial_stdout_off": serial_stdout_off,
        "t": TestCase(),
        "log": Log(),
        "RequestedAssertionFailed": RequestedAssertionFailed,
        "MachineError": MachineError,
        "PollingConditionError": PollingConditionError,
        "vlans": [],
        "driver": Unavailable("driver", "nixvm drives the machines itself; use the machine variables and `machines`"),
        "create_machine": Unavailable("create_machine", "the machines are the project's; add one to its configuration"),
        "debug": Unavailable("debug", "there is no interactive driver to attach to"),
    }
    for name, var in json.loads(os.environ["NIXVM_TEST_MACHINES"]):
        m = Machine(name)
        machines.append(m)
        symbols[var] = m
    symbols["machines"] = machines
    if len(machines) == 1 and "machine" not in symbols:
        symbols["machine"] = machines[0]
    with open(path, encoding="utf-8") as f:
        code = compile(f.read(), path, "exec")
    try:
        exec(code, symbols)
    except KeyboardInterrupt:
        # A call may be half answered: nixvm says it, the channel is done.
        return 130
    except SystemExit as e:
        # As Python: no code is success, a message is said and fails.
        if e.code is None:
            return 0
        if isinstance(e.code, int):
            return e.code
        print(e.code, file=sys.stderr)
        return 1
    except BaseException as e:
        report(e, path)
        return 1
    return 0


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "version":
        sys.exit(0 if sys.version_info >= (3, 9) else 1)
    script = sys.argv[2]
    if mode == "check":
        if sys.version_info < (3, 9):
            print(json.dumps({"error": {"line": 0, "column": 0, "message": f"Python {sys.version.split()[0]} is older than 3.9"}}))
        else:
            print(json.dumps(check(script)))
    else:
        sys.exit(run(script))
