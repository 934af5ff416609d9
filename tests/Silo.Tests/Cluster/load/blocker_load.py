"""An EPR's load on a CareTwin cluster, through its balancer: Debian's python3-grpcio updating blockers.

ClusterUnderLoadTests runs it while it kills nodes. One thread per child updates the child's blocker (named by the
external id of its RaiseBlocker) with a new target date, one change at a time, each with a fresh external id. A call
that fails with UNAVAILABLE or DEADLINE_EXCEEDED is sent again with the same external id, as the API docs tell an
integration to do; CareTwin answers a repeat DUPLICATE, so a change is applied once however often it is sent.

Prints one JSON object per line: {"ack": child, "external_id", "version", "outcome"} for every change acknowledged,
{"lost": child, "external_id", "code", "details"} for a change that failed otherwise (that child's thread then
stops), and {"done": true, "acknowledged", "retries"} at the end. Runs until its stdin closes.
"""

import argparse
import datetime
import json
import os
import sys
import threading

RETRYABLE = ("UNAVAILABLE", "DEADLINE_EXCEEDED")
GIVE_UP_AFTER = 600  # attempts of one change (50 ms apart and more): far longer than any failover


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--stubs", required=True, help="folder with the generated *_pb2.py and *_pb2_grpc.py")
    parser.add_argument("--target", required=True, help="the balancer's gRPC host:port")
    parser.add_argument("--key", required=True, help="the API key sent as x-api-key")
    parser.add_argument("--children", required=True, help="comma-separated child ids, each with a blocker raised as CHILD-blocker")
    args = parser.parse_args()

    sys.path.insert(0, args.stubs)
    import grpc
    from caretwin.v1 import changes_pb2, journeys_pb2_grpc, types_pb2

    lock = threading.Lock()
    stop = threading.Event()
    counts = {"acknowledged": 0, "retries": 0}

    def emit(**fields):
        with lock:
            print(json.dumps(fields), flush=True)

    # Retries are this client's own, with the same external id: grpcio's transparent retries are off.
    channel = grpc.insecure_channel(args.target, options=[("grpc.enable_retries", 0)])
    journeys = journeys_pb2_grpc.JourneysStub(channel)
    metadata = [("x-api-key", args.key)]
    next_year = datetime.date.today().year + 1

    def write(child):
        try:
            write_changes(child)
        except Exception as error:  # anything but a gRPC failure: report it rather than end the thread silently
            emit(lost=child, external_id="", code=type(error).__name__, details=str(error))

    def write_changes(child):
        n = 0
        while not stop.is_set():
            external_id = f"{child}-py{n}"
            request = changes_pb2.UpdateBlockerRequest(
                child_id=child, external_id=external_id,
                blocker_ref=changes_pb2.ExternalRef(external_id=f"{child}-blocker"),
                target_date=types_pb2.Date(year=next_year, month=1 + n % 12, day=1 + n % 28))
            attempt = 0
            while True:
                try:
                    reply = journeys.UpdateBlocker(request, metadata=metadata, timeout=5)
                    with lock:
                        counts["acknowledged"] += 1
                    emit(ack=child, external_id=external_id, version=reply.version,
                         outcome=changes_pb2.ChangeOutcome.Name(reply.outcome))
                    break
                except grpc.RpcError as error:
                    attempt += 1
                    if error.code().name in RETRYABLE and attempt < GIVE_UP_AFTER:
                        with lock:
                            counts["retries"] += 1
                        stop.wait(0.05)
                        continue
                    emit(lost=child, external_id=external_id, code=error.code().name, details=error.details())
                    return
            n += 1

    threads = [threading.Thread(target=write, args=(child,), daemon=True) for child in args.children.split(",")]
    for thread in threads:
        thread.start()
    sys.stdin.read()  # until the test closes stdin
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    emit(done=True, acknowledged=counts["acknowledged"], retries=counts["retries"])
    channel.close()
    os._exit(0)


if __name__ == "__main__":
    main()
