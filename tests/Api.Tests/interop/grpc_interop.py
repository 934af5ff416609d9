"""An independent gRPC client for CareTwin's interop tests: Debian's python3-grpcio.

CareTwinPythonInteropTests runs it with Debian's own /usr/bin/python3 against a Kestrel host on
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


# ---- caretwin.v1: the API external systems use ------------------------------------------------------------


def auth(key):
    return [("x-api-key", key)] if key else []


def register_request(stubs, child, external_id):
    v1 = stubs.caretwin
    return v1.changes_pb2.RegisterChildRequest(
        child_id=child, external_id=external_id, nhs_number="9434765919", given_name="Amara", family_name="Okafor",
        date_of_birth=v1.types_pb2.Date(year=2021, month=3, day=14), hospital_key="test-hospital", region_key="test-region")


def blocker_request(stubs, child, external_id, args, category=None):
    v1 = stubs.caretwin
    return v1.changes_pb2.RaiseBlockerRequest(
        child_id=child, external_id=external_id, transition_id="transition-1",
        category=v1.types_pb2.BLOCKER_CATEGORY_EQUIPMENT if category is None else category,
        owning_service="health.ward.test-hospital", professional_text="Home ventilator on order.",
        target_date=v1.types_pb2.Date(year=args.year, month=1, day=31))


def outcome(stubs, reply):
    return stubs.caretwin.changes_pb2.ChangeOutcome.Name(reply.outcome)


def caretwin_unary(grpc, stubs, channel, args):
    v1 = stubs.caretwin
    journeys = v1.journeys_pb2_grpc.JourneysStub(channel)
    child = args.child
    steps = [
        ("RegisterChild", lambda: journeys.RegisterChild(register_request(stubs, child, "reg-1"), metadata=auth(args.key), timeout=10)),
        ("RegisterChild again", lambda: journeys.RegisterChild(register_request(stubs, child, "reg-1"), metadata=auth(args.key), timeout=10)),
        ("StartTransition", lambda: journeys.StartTransition(v1.changes_pb2.StartTransitionRequest(
            child_id=child, external_id="start-1", kind=v1.types_pb2.TRANSITION_KIND_HOSPITAL_DISCHARGE), metadata=auth(args.key), timeout=10)),
        ("RaiseBlocker", lambda: journeys.RaiseBlocker(blocker_request(stubs, child, "blocker-1", args), metadata=auth(args.key), timeout=10)),
    ]
    for name, call in steps:
        reply = call()
        emit(step=name, outcome=outcome(stubs, reply), version=reply.version, created_id=reply.created_id)
    journey = journeys.GetJourney(v1.journeys_pb2.GetJourneyRequest(child_id=child),
                                  metadata=[("authorization", "Bearer " + args.key)], timeout=10)
    emit(step="GetJourney", version=journey.version, nhs_number=journey.child.nhs_number, stage=journey.transitions[0].stage,
         blockers=[b.id for b in journey.blockers], critical_path=journey.summary.critical_path_blocker_id)


def caretwin_ingest(grpc, stubs, channel, args):
    v1 = stubs.caretwin
    ingest = v1.ingest_pb2_grpc.IngestStub(channel)
    journeys = v1.journeys_pb2_grpc.JourneysStub(channel)
    child = args.child
    item = v1.ingest_pb2.IngestItem

    def by_ref(request):
        # Later items name what earlier ones created by this system's own external ids.
        request.transition_id = ""
        request.transition_ref.external_id = "start-1"
        return request

    batch = v1.ingest_pb2.IngestRequest(items=[
        item(register_child=register_request(stubs, child, "reg-1")),
        item(start_transition=v1.changes_pb2.StartTransitionRequest(
            child_id=child, external_id="start-1", kind=v1.types_pb2.TRANSITION_KIND_HOSPITAL_DISCHARGE)),
        item(raise_blocker=by_ref(blocker_request(stubs, child, "blocker-1", args))),
        item(raise_blocker=by_ref(blocker_request(stubs, child, "blocker-bad", args, category=v1.types_pb2.BLOCKER_CATEGORY_UNSPECIFIED))),
        item(update_blocker=v1.changes_pb2.UpdateBlockerRequest(
            child_id=child, external_id="progress-1", blocker_ref=v1.changes_pb2.ExternalRef(external_id="blocker-1"),
            status=v1.types_pb2.BLOCKER_STATUS_IN_PROGRESS)),
        item(register_child=register_request(stubs, child, "reg-1")),
    ])
    for attempt in ["first", "replay"]:
        reply = ingest.Ingest(batch, metadata=auth(args.key), timeout=30)
        emit(attempt=attempt, accepted=reply.accepted, duplicates=reply.duplicates, refused=reply.refused,
             results=[[r.index, v1.changes_pb2.ChangeOutcome.Name(r.outcome), r.status_code, r.field, r.message, r.created_id]
                      for r in reply.results])
    journey = journeys.GetJourney(v1.journeys_pb2.GetJourneyRequest(child_id=child), metadata=auth(args.key), timeout=10)
    emit(blockers=[[b.id, b.transition_id, v1.types_pb2.BlockerStatus.Name(b.status), b.source_system, b.external_id]
                   for b in journey.blockers])


def caretwin_family(grpc, stubs, channel, args):
    # What the family told the team and where it got to, and their figures: read, never written, by this client.
    v1 = stubs.caretwin
    journeys = v1.journeys_pb2_grpc.JourneysStub(channel)
    journey = journeys.GetJourney(v1.journeys_pb2.GetJourneyRequest(child_id=args.child), metadata=auth(args.key), timeout=10)
    status = v1.types_pb2.ConcernStatus.Name
    emit(messages=[[m.id, status(m.concern_status), m.answer, m.answered_by.display_name, m.HasField("read_at"), m.HasField("closed_at")]
                   for m in journey.family_messages])
    burden = journey.family_burden.last_30_days
    window = journey.family_cost_estimate.last_30_days
    travel = journey.family_travel
    emit(burden=[burden.days, burden.appointments, burden.distinct_services, burden.hours, burden.did_not_attend],
         hours=window.hours, hours_worked_out=window.hours_worked_out,
         money_pence=window.money_pence.value if window.HasField("money_pence") else None, money_worked_out=window.money_worked_out,
         hours_off_work=window.hours_off_work.value if window.HasField("hours_off_work") else None,
         travel=[v1.types_pb2.TravelMode.Name(travel.mode), travel.travel_minutes.value, travel.cost_per_trip_pence.value,
                 travel.parking_per_visit_pence.value])


def caretwin_watch(grpc, stubs, channel, args):
    v1 = stubs.caretwin
    watch = v1.watch_pb2_grpc.WatchStub(channel)
    call = watch.WatchChild(v1.watch_pb2.WatchChildRequest(child_id=args.child), metadata=auth(args.key), timeout=args.timeout)
    try:
        for update in call:
            if update.HasField("snapshot"):
                emit(snapshot=update.snapshot.version)
            else:
                emit(change=update.change.version, kinds=[e.kind for e in update.change.entries],
                     blockers=[b.id for b in update.change.journey.blockers])
            if args.cancel_after_first:
                call.cancel()
        emit(end="OK")
    except grpc.RpcError as error:
        emit(end=error.code().name, details=error.details())


def caretwin_errors(grpc, stubs, channel, args):
    v1 = stubs.caretwin
    journeys = v1.journeys_pb2_grpc.JourneysStub(channel)
    ingest = v1.ingest_pb2_grpc.IngestStub(channel)
    child = args.child
    bad_nhs = register_request(stubs, child + "-x", "reg-bad")
    bad_nhs.nhs_number = "9434765918"
    unknown_transition = blocker_request(stubs, child, "blocker-404", args)
    unknown_transition.transition_id = "transition-9"
    huge = blocker_request(stubs, child, "blocker-huge", args)
    huge.professional_text = "x" * 100000
    calls = [
        ("ABORTED", lambda: journeys.RaiseBlocker(blocker_request(stubs, child, "blocker-conflict", args), metadata=auth(args.key), timeout=10)),
        ("INVALID_ARGUMENT", lambda: journeys.RegisterChild(bad_nhs, metadata=auth(args.key), timeout=10)),
        ("NOT_FOUND", lambda: journeys.RaiseBlocker(unknown_transition, metadata=auth(args.key), timeout=10)),
        ("FAILED_PRECONDITION", lambda: journeys.ChangeStage(v1.changes_pb2.ChangeStageRequest(
            child_id=child, external_id="skip-1", transition_id="transition-1", stage="discharged"), metadata=auth(args.key), timeout=10)),
        ("PERMISSION_DENIED", lambda: journeys.ResolveBlocker(v1.changes_pb2.ResolveBlockerRequest(
            child_id=child, external_id="resolve-1", blocker_id=args.blocker), metadata=auth(args.other_key), timeout=10)),
        ("UNAUTHENTICATED", lambda: journeys.GetJourney(v1.journeys_pb2.GetJourneyRequest(child_id=child), timeout=10)),
        ("RESOURCE_EXHAUSTED", lambda: journeys.RaiseBlocker(huge, metadata=auth(args.key), timeout=10)),
        ("INVALID_ARGUMENT (batch)", lambda: ingest.Ingest(v1.ingest_pb2.IngestRequest(
            items=[v1.ingest_pb2.IngestItem(register_child=register_request(stubs, child + "-%d" % i, "r")) for i in range(args.max_items + 1)]),
            metadata=auth(args.key), timeout=10)),
        # A method the contract does not have, sent as raw bytes (no stub can name it).
        ("UNIMPLEMENTED", lambda: channel.unary_unary("/caretwin.v1.Journeys/DeleteChild")(b"", metadata=auth(args.key), timeout=10)),
    ]
    for expected, call in calls:
        try:
            call()
            emit(expected=expected, code="OK")
        except grpc.RpcError as error:
            emit(expected=expected, **failure(error))


def caretwin_health(grpc, stubs, channel, args):
    health = stubs.health_pb2_grpc.HealthStub(channel)
    names = stubs.health_pb2.HealthCheckResponse.ServingStatus.Name
    for service in ["", "caretwin.v1.Journeys", "caretwin.v1.Ingest", "caretwin.v1.Watch", "caretwin.v1.Unknown"]:
        try:
            response = health.Check(stubs.health_pb2.HealthCheckRequest(service=service), timeout=10)
            emit(service=service, status=names(response.status))
        except grpc.RpcError as error:
            emit(service=service, **failure(error))


def caretwin_health_watch(grpc, stubs, channel, args):
    health = stubs.health_pb2_grpc.HealthStub(channel)
    names = stubs.health_pb2.HealthCheckResponse.ServingStatus.Name
    call = health.Watch(stubs.health_pb2.HealthCheckRequest(service=args.service), timeout=args.timeout)
    try:
        for response in call:
            emit(service=args.service, status=names(response.status))
        emit(end="OK")
    except grpc.RpcError as error:
        emit(end=error.code().name, details=error.details())


def caretwin_reflection(grpc, stubs, channel, args):
    reflection = stubs.reflection_pb2_grpc.ServerReflectionStub(channel)
    request = stubs.reflection_pb2.ServerReflectionRequest(host="", list_services="")
    try:
        for response in reflection.ServerReflectionInfo(iter([request]), timeout=10):
            if response.WhichOneof("message_response") == "list_services_response":
                emit(services=[s.name for s in response.list_services_response.service])
            else:
                emit(unexpected=response.WhichOneof("message_response"), error=response.error_response.error_message)
        emit(end="OK")
    except grpc.RpcError as error:
        emit(end=error.code().name, details=error.details())


SCENARIOS = {f.__name__: f for f in [
    caretwin_unary, caretwin_ingest, caretwin_family, caretwin_watch, caretwin_errors, caretwin_health, caretwin_health_watch, caretwin_reflection]}


def load_stubs(folder):
    sys.path.insert(0, folder)
    import grpc
    # The generated grpc/health/v1 and grpc/reflection/v1 modules sit under the installed grpc
    # package's name, so that package must also search the stubs folder.
    grpc.__path__.append(os.path.join(folder, "grpc"))
    from grpc.health.v1 import health_pb2, health_pb2_grpc
    from grpc.reflection.v1 import reflection_pb2, reflection_pb2_grpc
    from caretwin.v1 import types_pb2, changes_pb2, journeys_pb2, journeys_pb2_grpc, ingest_pb2, ingest_pb2_grpc, watch_pb2, watch_pb2_grpc
    caretwin = types.SimpleNamespace(
        types_pb2=types_pb2, changes_pb2=changes_pb2, journeys_pb2=journeys_pb2, journeys_pb2_grpc=journeys_pb2_grpc,
        ingest_pb2=ingest_pb2, ingest_pb2_grpc=ingest_pb2_grpc, watch_pb2=watch_pb2, watch_pb2_grpc=watch_pb2_grpc)
    return grpc, types.SimpleNamespace(
        health_pb2=health_pb2, health_pb2_grpc=health_pb2_grpc,
        reflection_pb2=reflection_pb2, reflection_pb2_grpc=reflection_pb2_grpc, caretwin=caretwin)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("scenario", choices=sorted(SCENARIOS))
    parser.add_argument("--stubs", required=True, help="folder with the generated *_pb2.py and *_pb2_grpc.py")
    parser.add_argument("--target", required=True, help="host:port")
    parser.add_argument("--tls-ca", help="PEM certificate to trust; TLS when given")
    parser.add_argument("--tls-name", default="localhost", help="name the server certificate is checked against")
    parser.add_argument("--key", default="", help="caretwin.v1: the API key sent as x-api-key")
    parser.add_argument("--other-key", default="", help="caretwin.v1: a second system's key")
    parser.add_argument("--child", default="", help="caretwin.v1: the child id to work on")
    parser.add_argument("--blocker", default="", help="caretwin.v1: a blocker id the test prepared")
    parser.add_argument("--year", type=int, default=2099, help="caretwin.v1: the year of target dates (must not be past)")
    parser.add_argument("--service", default="", help="grpc.health.v1: the service a health watch asks about")
    parser.add_argument("--timeout", type=float, default=60.0, help="the watch's deadline in seconds")
    parser.add_argument("--max-items", type=int, default=500, help="caretwin.v1: the host's batch limit (errors sends one more)")
    parser.add_argument("--cancel-after-first", action="store_true", help="caretwin.v1: cancel the watch after its first message")
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
