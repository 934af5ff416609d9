"""An independent gRPC client for CareTwin's interop tests: Debian's python3-grpcio.

PythonInteropTests runs it with Debian's own /usr/bin/python3 against a Kestrel host on
127.0.0.1. The stubs in --stubs are generated at test time by python3-grpc-tools from the
same .proto files the server compiles. Each scenario prints one JSON object per line; the
C# test asserts on them, so this script only reports what the client saw.
"""

import argparse
import json
import os
import sys
import types


def emit(**fields):
    print(json.dumps(fields), flush=True)


def failure(error):
    return {"code": error.code().name, "details": error.details()}


def check(grpc, stubs, channel, args):
    health = stubs.health_pb2_grpc.HealthStub(channel)
    names = stubs.health_pb2.HealthCheckResponse.ServingStatus.Name
    for service in ["", "grpc.health.v1.Health", "caretwin.testing.v1.Probe", "caretwin.v1.NoSuchService"]:
        try:
            response = health.Check(stubs.health_pb2.HealthCheckRequest(service=service), timeout=10)
            emit(service=service, code="OK", status=names(response.status))
        except grpc.RpcError as error:
            emit(service=service, **failure(error))


def watch(grpc, stubs, channel, args):
    health = stubs.health_pb2_grpc.HealthStub(channel)
    names = stubs.health_pb2.HealthCheckResponse.ServingStatus.Name
    try:
        for response in health.Watch(stubs.health_pb2.HealthCheckRequest(service=""), timeout=60):
            emit(status=names(response.status))
        emit(end="OK")
    except grpc.RpcError as error:
        emit(end=error.code().name, details=error.details())


def deadline(grpc, stubs, channel, args):
    probe = stubs.probe_pb2_grpc.ProbeStub(channel)
    # Connect first, so the deadline is spent waiting in the handler, not on connection setup.
    grpc.channel_ready_future(channel).result(timeout=10)
    try:
        probe.Sleep(stubs.probe_pb2.SleepRequest(call_id=args.call_id), timeout=1.0)
        emit(code="OK")
    except grpc.RpcError as error:
        emit(**failure(error))


def cancel(grpc, stubs, channel, args):
    probe = stubs.probe_pb2_grpc.ProbeStub(channel)
    call = probe.Ticks(stubs.probe_pb2.TicksRequest(call_id=args.call_id, count=1, hold=True), timeout=60)
    emit(first=next(call).number)
    call.cancel()
    try:
        for _ in call:
            pass
        emit(end="OK")
    except grpc.RpcError as error:
        emit(end=error.code().name)


def unimplemented(grpc, stubs, channel, args):
    for path in ["/caretwin.testing.v1.Probe/NoSuchMethod", "/caretwin.v1.NoSuchService/Get"]:
        call = channel.unary_unary(path, request_serializer=None, response_deserializer=None)
        try:
            call(b"", timeout=10)
            emit(path=path, code="OK")
        except grpc.RpcError as error:
            emit(path=path, **failure(error))


def errors(grpc, stubs, channel, args):
    probe = stubs.probe_pb2_grpc.ProbeStub(channel)
    calls = [
        ("Fail", lambda: probe.Fail(stubs.probe_pb2.FailRequest(code=9, detail=args.detail), timeout=10)),
        ("Crash", lambda: probe.Crash(stubs.probe_pb2.EchoRequest(), timeout=10)),
    ]
    for name, call in calls:
        try:
            call()
            emit(method=name, code="OK")
        except grpc.RpcError as error:
            emit(method=name, **failure(error))


def echo(grpc, stubs, channel, args):
    probe = stubs.probe_pb2_grpc.ProbeStub(channel)
    reply = probe.Echo(
        stubs.probe_pb2.EchoRequest(text="héllo", header_name="x-api-key"),
        metadata=[("x-api-key", "interop-key")],
        timeout=10)
    emit(text=reply.text, header_value=reply.header_value, peer=reply.peer, has_deadline=reply.has_deadline)
    ticks = [tick.number for tick in probe.Ticks(stubs.probe_pb2.TicksRequest(count=3), timeout=10)]
    emit(ticks=ticks)


SCENARIOS = {f.__name__: f for f in [check, watch, deadline, cancel, unimplemented, errors, echo]}


def load_stubs(folder):
    sys.path.insert(0, folder)
    import grpc
    # The generated grpc/health/v1 modules sit under the installed grpc package's name,
    # so that package must also search the stubs folder.
    grpc.__path__.append(os.path.join(folder, "grpc"))
    from grpc.health.v1 import health_pb2, health_pb2_grpc
    from caretwin.testing.v1 import probe_pb2, probe_pb2_grpc
    return grpc, types.SimpleNamespace(
        health_pb2=health_pb2, health_pb2_grpc=health_pb2_grpc, probe_pb2=probe_pb2, probe_pb2_grpc=probe_pb2_grpc)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("scenario", choices=sorted(SCENARIOS))
    parser.add_argument("--stubs", required=True, help="folder with the generated *_pb2.py and *_pb2_grpc.py")
    parser.add_argument("--target", required=True, help="host:port")
    parser.add_argument("--tls-ca", help="PEM certificate to trust; TLS when given")
    parser.add_argument("--tls-name", default="localhost", help="name the server certificate is checked against")
    parser.add_argument("--call-id", default="")
    parser.add_argument("--detail", default="")
    args = parser.parse_args()
    grpc, stubs = load_stubs(args.stubs)

    # Only 127.0.0.1 is ever dialled; a proxy from the environment must not intercept it.
    options = [("grpc.enable_http_proxy", 0)]
    if args.tls_ca:
        with open(args.tls_ca, "rb") as pem:
            credentials = grpc.ssl_channel_credentials(root_certificates=pem.read())
        channel = grpc.secure_channel(args.target, credentials, options + [("grpc.ssl_target_name_override", args.tls_name)])
    else:
        channel = grpc.insecure_channel(args.target, options)
    with channel:
        SCENARIOS[args.scenario](grpc, stubs, channel, args)


if __name__ == "__main__":
    main()
