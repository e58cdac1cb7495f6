"""The demo organisation's repertoire: plain data, no logic.

Per community: the best practices, stories, templates, checklists and
glossary terms its members keep, who owns them, how they changed, when
they were last verified and who said they helped. People are named by
their key in :mod:`practica.web.demo` (the first name as a slug); tags
come from the community's list in :mod:`practica.web.demo_conversations`.
Times are relative: an artifact was written ``days`` ago, an edit was
saved ``days`` ago, a verification happened ``verified`` days ago and
lasts ``review_days`` (the community's 90 when empty). Bodies are
Markdown, indented here for reading; the builder dedents them.
"""

from typing import NamedTuple

from practica.repertoire.models import Kind, Status

PRACTICE = Kind.BEST_PRACTICE
STORY = Kind.STORY
TOOL = Kind.TOOL
ROUTINE = Kind.ROUTINE
TERM = Kind.GLOSSARY
DRAFT = Status.DRAFT
PUBLISHED = Status.PUBLISHED
ARCHIVED = Status.ARCHIVED


class Edit(NamedTuple):
    """A later revision: who saved it, how many days ago, their message,
    and what changed. Each (old, new) pair replaces one piece of the text
    (on one line of it); an empty old appends new as a paragraph."""

    author: str
    days: int
    message: str
    changes: tuple[tuple[str, str], ...]


class Piece(NamedTuple):
    """An artifact and everything that happened to it."""

    title: str
    kind: str
    owners: tuple[str, ...]  # the first one wrote it
    days: int  # since it was written (or captured)
    tags: tuple[str, ...]
    body: str  # the first version; a captured one's after tidying up
    status: str = PUBLISHED
    message: str = ""  # of the first version (or of the tidying up)
    review_days: int | None = None
    verified: int | None = None  # days ago; None: never verified
    verifier: str = ""  # an owner or coordinator; the first owner if empty
    edits: tuple[Edit, ...] = ()
    helped: tuple[str, ...] = ()  # "this helped me", oldest first
    captured_from: str = ""  # the solved question's title
    obsolete: str = ""  # why, when it was retired
    replaced_by: str = ""  # the title of an earlier piece


E = Edit
P = Piece
SAFETY: tuple[Piece, ...] = (
    P(
        "Lockout/tagout for machines with stored energy",
        ROUTINE,
        ("henrik", "amara"),
        days=70,
        tags=("LOTO", "machine safety", "functional safety"),
        review_days=180,
        verified=6,
        body="""
            Use this routine for every machine with more than one energy
            source, and after every modification that adds one (SQ-014,
            section 4). The placard at the machine lists each source with
            a numbered isolation point; the same numbers are painted on the
            machine.

            ## Before you start

            1. Tell the operator and the shift lead what you will isolate
               and why.
            2. Read the placard. If the machine was modified after the
               placard's date, stop: tag it out of service and call the
               functional safety team.

            ## Isolate

            3. Stop the machine with its normal stop.
            4. Isolate each source on the placard, in its order, and put
               your personal lock and tag on each isolation point.
            5. For jobs with several people, use the group lockbox.

            ## Prove zero energy

            6. **Electrical**: try to start from the HMI and the local
               panel. Nothing may move.
            7. **DC bus of every drive**: wait the discharge time on the
               drive label, then measure at the DC test terminals with a
               CAT III meter. Under 50 V DC, or do not touch.
            8. **Hydraulics**: open the dump valve, confirm 0 bar on the
               gauge, lock the valve open.
            9. **Pneumatics**: lock the supply valve, bleed the line and
               check that the gauge reads 0.
            10. **Gravity and springs**: block slides, rams and raised
                loads mechanically, whatever the valves say.
            11. Return all controls to off.

            ## Release

            12. Count the people. Everyone removes only their own lock.
            13. Remove the blocks, restore the sources in reverse order and
                tell the operator before the first start.
            """,
        edits=(
            E("henrik", 52, "A countdown on the HMI is not a zero-energy "
              "check", (
                ("CAT III meter. Under 50 V DC, or do not touch.",
                 "CAT III meter. Under 50 V DC, or do not touch. A\n"
                 "   countdown on the HMI is not a check: it says the "
                 "discharge\n   resistor should have worked; the meter "
                 "says it did."),
            )),
            E("olumide", 8, "Personal locks only; shift locks on the "
              "lockbox for jobs across shifts", (
                ("5. For jobs with several people, use the group lockbox.",
                 "5. For jobs with several people, use the group lockbox:"
                 " the\n   isolation keys go into the box and everyone "
                 "adds their own\n   lock to it. For a job that runs "
                 "across shifts, a shift lock\n   on the box keeps the "
                 "machine locked at the handover. Shift\n   padlocks "
                 "instead of personal ones are not allowed at any site."),
            )),
        ),
        helped=("luana", "grace", "katrin", "yuki", "jakub", "emre",
                "marcus"),
    ),
    P(
        "8D report template",
        TOOL,
        ("amara", "mateus"),
        days=400,
        tags=("8D", "root cause"),
        verified=130,
        body="""
            Copy this template for every customer or supplier complaint
            that needs a formal investigation. Keep the report to what a
            reader needs and attach the data.

            ## D0 Header

            - 8D number and complaint number:
            - Part number and name:
            - Customer or supplier (internal code only, no names):
            - Opened on: / D3 due: / D8 due:

            ## D1 Team

            Name, role and site of each member. One champion, one leader;
            the leader writes the report.

            ## D2 Problem

            What is wrong, on which parts, where and when it was found, how
            many. Fill in the is/is-not table:

            | | Is | Is not |
            | --- | --- | --- |
            | What | | |
            | Where | | |
            | When | | |
            | How many | | |

            ## D3 Containment

            What protects the customer now: sorting of stock and parts in
            transit, with quantities checked and found bad. Due within 24
            hours.

            ## D4 Root cause

            The root cause, confirmed with data.

            ## D5 Corrective actions

            For each root cause: the action, its owner, its date, and how
            you proved that it removes the cause.

            ## D6 Effectiveness

            The data after the change, over enough parts or time to show it
            works.

            ## D7 Prevent recurrence

            Which FMEAs, control plans and work instructions were updated,
            and which other products or sites could have the same problem.

            ## D8 Closure

            What the team learned, and who was thanked.
            """,
        edits=(
            E("amara", 210, "D4 needs the escape point as well", (
                ("The root cause, confirmed with data.",
                 "Two root causes, each confirmed with data:\n\n"
                 "- **Occurrence**: why the defect was made.\n"
                 "- **Escape**: why no check caught it before it reached "
                 "the\n  customer."),
            )),
            E("mateus", 50, "'Operator error' is where D4 starts", (
                ("", """
                    "Operator error" or "operator retrained" is where the
                    analysis starts, not where it ends: ask why the process
                    allowed the error, why the operator made it, and why no
                    check caught it. See *Rejecting 'operator error' as a
                    root cause in supplier 8Ds*.
                    """),
            )),
        ),
        helped=("grace", "yuki", "olumide", "jakub", "priya", "luana",
                "emre", "katrin", "sakura"),
    ),
    P(
        "Rejecting 'operator error' as a root cause in supplier 8Ds",
        PRACTICE,
        ("mateus", "amara"),
        days=55,
        tags=("8D", "supplier quality", "root cause"),
        captured_from="Supplier 8D for cracked gearbox housings says "
        "'operator error': accept D4?",
        message="Tidied up: the three questions, the evidence to ask for",
        verified=50,
        verifier="amara",
        body="""
            ## When to use it

            A supplier's 8D names "operator error" as the root cause in D4
            and "operator retrained" as the action. Three 8Ds from our
            castings foundry closed that way in two years, and the cracks
            came back each time.

            ## What to send back

            Return the 8D with the same three questions every time, so it
            never feels personal:

            1. Why was the operator *able* to make the error? Is the rule
               (a cooling time, say) enforced by the process or by memory?
            2. Why did the operator make it? Was the line behind, is there
               a piece rate, who knew?
            3. Why did the outgoing check not catch it? The escape point
               is a second root cause and needs its own action.

            ## What evidence to ask for

            - The is/is-not table: if only one mould, shift or day is
              affected, it shows.
            - The process log for the affected batches (the cooling-time
              log, not the standard). At one foundry all early shake-outs
              happened in the last hour before the weekend.
            - Any change to material, sub-supplier or method since the last
              PPAP. A sand supplier change without a PPAP update explained
              the housing cracks in April.

            ## What good actions look like

            An interlock on the shake-out conveyor and a change to the
            shift plan worked; retraining did not. A supplier who answers
            the three questions honestly is a good supplier, even with
            cracks.
            """,
        helped=("grace", "yuki", "priya", "olumide", "henrik", "jakub",
                "priscila"),
    ),
    P(
        "Running a crossed gauge R&R study",
        ROUTINE,
        ("priya", "olumide"),
        days=300,
        tags=("gauge R&R", "calibration"),
        verified=84,
        body="""
            Run a crossed study before a new gauge or test bench is
            released, after a repair, and when the SPC chart of a
            characteristic suddenly gets wider.

            1. Pick 10 parts that cover the tolerance range, including one
               near each limit. Number them where the gauge cannot see it.
            2. Pick 3 operators who really use the gauge, on the shifts
               that use it.
            3. Check the gauge's calibration certificate is valid.
            4. Each operator measures each part 3 times, in a random order
               that you prepare; the operators do not see earlier results.
            5. Enter the results in the MSA workbook (ANOVA method).
            6. Read the result against the **tolerance** for release
               decisions and against the **process variation** for SPC:

               | %GRR | Decision |
               | --- | --- |
               | under 10 % | release |
               | 10 to 30 % | release with a reason, and a plan |
               | over 30 % | do not release |

            7. If reproducibility dominates, watch the operators measure
               before blaming the gauge: clamping, reading angle and
               fixtures explain most of it.
            8. File the workbook with the gauge's record and note the
               result on the gauge label.
            """,
        edits=(
            E("olumide", 6, "Same adapter and fixture for every operator", (
                ("3. Check the gauge's calibration certificate is valid.",
                 "3. Check the gauge's calibration certificate is valid, "
                 "and that\n   all operators use the same adapter and "
                 "fixture: two adapters\n   that look the same may not "
                 "be."),
            )),
        ),
        helped=("yuki", "hannah", "emre", "mateus", "katrin", "grace"),
    ),
    P(
        "Near-miss reporting that night shifts actually use",
        PRACTICE,
        ("amara", "grace"),
        days=110,
        tags=("near miss", "root cause"),
        verified=83,
        body="""
            Night shifts are not safer than day shifts; they report less,
            because reporting is slow and nothing visible happens
            afterwards. What moved the numbers at Stuttgart, São Paulo and
            Chicago:

            1. **A 30-second report.** A QR code on every line board opens a
               form with three fields: where, what could have happened,
               what you did about it. A photo is optional. Paper cards stay
               as a fallback, in a box that is *not* next to the
               supervisor's office.
            2. **Close the loop where people see it.** A "you reported, we
               did" board next to the shift board, updated weekly, with
               the reporter's first name if they agree.
            3. **Read one out.** The night supervisor reads the best report
               of the previous night at the shift start and says what was
               done about it. Two minutes.
            4. **Go there.** Managers walk a night shift once a month and
               ask about the last near miss, not the output.

            Never make the number of reports a target for supervisors: the
            month we did, we got 200 reports about missing pens.
            """,
        edits=(
            E("grace", 72, "Results from the Chicago night shift", (
                ("", """
                    **Results**: São Paulo reported four times as many near
                    misses within two months of the first board. Chicago
                    night shift went from 3 reports a quarter to 19 in six
                    weeks, 7 of them with photos.
                    """),
            )),
        ),
        helped=("olumide", "henrik", "luana", "katrin", "mateus",
                "marcus"),
    ),
    P(
        "The 250 t press that kept its energy",
        STORY,
        ("luana", "henrik"),
        days=60,
        tags=("LOTO", "machine safety"),
        body="""
            ## What happened

            In May the 250 t press in São Paulo got a servo-driven die
            cushion. The retrofit was signed off, but the LOTO placard
            still listed two energy sources: main electrical and the
            pneumatic clutch supply.

            At the next die change the crew isolated both and were about to
            start when a technician measured out of habit: the cushion
            drive's DC bus showed 310 V four minutes after main-off, and the
            cushion accumulator held 40 bar. Nobody was hurt.

            ## What we did

            - Tagged the press out of service the same day.
            - Rewrote the procedure with five sources (main electrical, DC
              bus, hydraulic accumulator, pneumatics, gravity), each with a
              numbered isolation point and a photo on the placard.
            - Henrik reviewed the draft; the crews were trained on the
              press before it ran again.

            ## What we learned

            - A modification that adds an energy source must trigger a LOTO
              review. It is in SQ-014, but not in the retrofit checklist
              we used; it is now.
            - Measure, don't count. A discharge countdown tells you what
              should have happened.
            - Number the isolation points on the machine and on the
              placard, so "valve V3" means something at 3 am.
            """,
        helped=("olumide", "grace", "katrin", "amara", "yuki", "takeshi",
                "marcus"),
    ),
    P(
        "Consistent severity ratings in design FMEAs",
        PRACTICE,
        ("amara", "yuki"),
        days=180,
        tags=("FMEA", "functional safety"),
        verified=30,
        body="""
            Severity is rated against the **effect on the end user**, never
            against the failure mode, and every site picks effects from one
            shared catalogue.

            - The FMEA method group owns the effects catalogue: each effect
              with its severity and one example.
            - Teams choose an effect from the catalogue instead of rating
              from scratch. If no effect fits, they propose one; the group
              adds it within a week.
            - "Encoder signal lost" is a failure mode. Its effects are
              "axis stops uncontrolled" (9) and "axis stops with a fault,
              safe stop works" (6). When two sites disagree on a number,
              they have usually rated different effects.

            The catalogue lives in the FMEA tool under *Libraries > Effects*.
            """,
        edits=(
            E("henrik", 120, "Safety-relevant effects are 9 or 10", (
                ("", """
                    When an effect is safety-relevant, its severity is 9 or
                    10 and not up for local debate, and the safety function
                    gets its own row with the required performance level.
                    """),
            )),
        ),
        helped=("sakura", "mateus", "olumide", "stefan", "takeshi"),
    ),
    P(
        "Severity rating table for design FMEAs (site version)",
        PRACTICE,
        ("yuki",),
        days=600,
        tags=("FMEA",),
        verified=420,
        body="""
            Rate severity from 1 to 10 with this table, adapted for the
            Tokyo site from the AIAG manual.

            | Severity | Effect |
            | --- | --- |
            | 9 to 10 | affects safe operation or breaks a regulation |
            | 7 to 8 | product inoperable, loss of primary function |
            | 5 to 6 | degraded primary function |
            | 2 to 4 | annoyance, noticed by most customers |
            | 1 | no noticeable effect |

            Each site keeps its own copy and adds examples from its
            products.
            """,
        obsolete="Each site rated from its own table, so the same effect "
        "got different numbers; the shared effects catalogue replaces it.",
        replaced_by="Consistent severity ratings in design FMEAs",
    ),
    P(
        "LOTO",
        TERM,
        ("henrik",),
        days=500,
        tags=("LOTO",),
        review_days=365,
        verified=40,
        body="""
            **Lockout/tagout.** Isolating every energy source of a machine
            with a personal lock and a tag, and proving zero energy, before
            anyone works inside it. Our standard is SQ-014; the routine is
            *Lockout/tagout for machines with stored energy*.
            """,
    ),
    P(
        "8D",
        TERM,
        ("amara",),
        days=700,
        tags=("8D",),
        review_days=365,
        verified=200,
        body="""
            **Eight disciplines problem solving.** A team method for
            complaints: D0 header, D1 team, D2 problem, D3 containment, D4
            root cause, D5 corrective actions, D6 effectiveness, D7
            prevent recurrence, D8 closure. Use the *8D report template*.
            """,
    ),
    P(
        "Gauge R&R",
        TERM,
        ("priya",),
        days=400,
        tags=("gauge R&R",),
        verified=150,
        body="""
            **Gauge repeatability and reproducibility.** How much of the
            variation you measure comes from the measuring system:
            repeatability (the same operator measuring again) and
            reproducibility (different operators). Expressed as %GRR of the
            tolerance or of the process variation; under 10 % is good,
            over 30 % is not acceptable.
            """,
    ),
    P(
        "Near miss",
        TERM,
        ("grace",),
        days=100,
        tags=("near miss",),
        body="""
            An event that could have hurt someone or damaged something but
            did not: a slipped load, a guard found open, a blocked escape
            route. Report it within the shift; it is the cheapest lesson we
            will ever get.
            """,
    ),
    P(
        "Poka-yoke",
        TERM,
        ("yuki",),
        days=500,
        tags=("root cause",),
        verified=60,
        body="""
            Japanese for "mistake-proofing". A feature of the part, the
            fixture or the process that makes an error impossible or
            immediately visible: a connector that fits only one way, a
            fixture that rejects the wrong variant, a counter that stops
            the line when a screw is missing.
            """,
    ),
)  # fmt: skip

PLATFORM: tuple[Piece, ...] = (
    P(
        "Incident review template",
        TOOL,
        ("chloe", "arjun"),
        days=400,
        tags=("incident review", "on-call"),
        verified=15,
        verifier="arjun",
        body="""
            Blameless: we describe what the system and the people did and
            why it made sense at the time. Publish within five working days
            of every incident with customer impact.

            ## Summary

            Two or three sentences: what broke, for whom, for how long.

            ## Impact

            - Services and users affected:
            - Duration (start, detected, mitigated, resolved):
            - Data lost or corrupted:

            ## Timeline

            | Time | What happened |
            | --- | --- |
            | | |

            ## Contributing factors

            What made this possible, and what made it worse or longer. No
            single root cause, no names as causes.

            ## What went well

            ## Actions

            | Action | Owner | Due | Ticket |
            | --- | --- | --- | --- |
            | | | | |
            """,
        edits=(
            E("chloe", 210, "Timeline in UTC", (
                ("| Time | What happened |", "| Time (UTC) | What happened |"),
            )),
            E("rui", 18, "Add what the clients saw, after the MES failover",
              (
                ("- Data lost or corrupted:",
                 "- Data lost or corrupted:\n- What the clients saw, and "
                 "when they recovered (not only\n  when the server side "
                 "did):"),
            )),
        ),
        helped=("ethan", "miguel", "ines", "elena", "wanjiru"),
    ),
    P(
        "On-call handover note",
        ROUTINE,
        ("ines", "chloe"),
        days=48,
        tags=("on-call",),
        verified=45,
        body="""
            Write it at every handover of the follow-the-sun rota, in the
            on-call channel, before you go off shift. Start with one word:
            **quiet** or **noisy**.

            1. **Burning**: open incidents, with the link and who owns them.
            2. **Might page you**: alerts that fired and were acknowledged
               but not fixed, and anything deployed in the last four hours.
            3. **Promised**: anyone waiting for an answer from on-call, and
               by when.

            Everything else is a link to the dashboard.

            ```markdown
            ## Handover Lisbon -> Toronto (quiet)
            - Burning: none
            - Might page: disk alert on pg-mes-2 acked, cleanup running
            - Deployed: portal 5.12 at 14:10 WET
            - Promised: GPU quota answer to Research by end of day
            ```
            """,
        edits=(
            E("arjun", 40, "Write it when nothing happened, too", (
                ("", """
                    Write the note even when nothing happened. "Nothing
                    happened" is information; a missing note makes the next
                    person wonder whether you forgot.
                    """),
            )),
        ),
        helped=("ethan", "miguel", "rui", "arjun", "sam"),
    ),
    P(
        "Kubernetes minor version upgrade checklist",
        ROUTINE,
        ("arjun", "ethan"),
        days=130,
        tags=("Kubernetes",),
        review_days=120,
        verified=110,
        body="""
            For every minor version, staging clusters first, production two
            weeks later at the earliest.

            ## A week before

            1. Read the changelog's *Deprecations and removals*.
            2. Run the pre-upgrade check against every cluster and fix what
               it finds.
            3. Check that the cluster add-ons (CNI, CSI, ingress, cert
               manager, autoscaler) support the new version.
            4. Announce the window in the platform channel.

            ## On the day

            5. Take an etcd snapshot.
            6. Upgrade the control plane, then one node pool at a time;
               watch the pod disruption budgets.
            7. Run the smoke tests after each pool.

            ## Afterwards

            8. Watch error rates and API server latency for 24 hours.
            9. Update this checklist with anything that surprised you.
            """,
        edits=(
            E("ethan", 100, "Deprecated fields, not only APIs; Helm release "
              "history", (
                ("1. Read the changelog's *Deprecations and removals*.",
                 "1. Read the changelog's *Deprecations and removals*, for"
                 "\n   deprecated *fields* as well as APIs: a CronJob with "
                 "a removed\n   field still runs, without it."),
                ("4. Announce the window in the platform channel.",
                 "4. For Helm releases that used a removed API, rewrite the"
                 "\n   stored release with `helm mapkubeapis`, or the next "
                 "upgrade\n   fails.\n5. Announce the window in the "
                 "platform channel."),
                ("5. Take an etcd snapshot.", "6. Take an etcd snapshot."),
                ("6. Upgrade the control plane,",
                 "7. Upgrade the control plane,"),
                ("7. Run the smoke tests", "8. Run the smoke tests"),
                ("8. Watch error rates", "9. Watch error rates"),
                ("9. Update this checklist", "10. Update this checklist"),
            )),
            E("arjun", 60, "Run pluto on the Helm releases", (
                ("2. Run the pre-upgrade check against every cluster",
                 "2. Run the pre-upgrade check and `pluto detect-helm` "
                 "against every\n   cluster"),
            )),
        ),
        helped=("miguel", "chloe", "rui", "ines"),
    ),
    P(
        "Kubernetes 1.27 upgrade notes",
        ROUTINE,
        ("miguel",),
        days=360,
        tags=("Kubernetes",),
        verified=340,
        body="""
            What we did for the 1.27 upgrade of the staging clusters:

            - Replaced the `k8s.gcr.io` image references with
              `registry.k8s.io`.
            - Upgraded the control plane, then the node pools one by one.
            - Restarted the ingress controller after the last pool, because
              it kept a stale endpoint list.
            """,
        obsolete="Written for 1.27 only; the general upgrade checklist "
        "covers every minor version and is kept current.",
        replaced_by="Kubernetes minor version upgrade checklist",
    ),
    P(
        "RFC template",
        TOOL,
        ("arjun", "ines"),
        days=540,
        tags=("RFC",),
        review_days=180,
        verified=200,
        verifier="ines",
        body="""
            For decisions that affect other teams. Keep it under two pages,
            post it in the platform channel and leave it open for comments
            for a week before the architecture forum.

            ## Context

            What is true today, with numbers.

            ## Problem

            What hurts, and for whom.

            ## Proposal

            What you want to change, and what it costs to run.

            ## Alternatives

            At least two, including "do nothing", and why not.

            ## Risks and rollback

            What could go wrong, and how we would go back.

            ## Decision

            Filled in after the forum: accepted, rejected or parked, and
            why.
            """,
        helped=("sam", "ethan", "chloe", "miguel", "rui", "elena"),
    ),
    P(
        "The four-minute failover",
        STORY,
        ("rui", "chloe"),
        days=15,
        tags=("PostgreSQL", "incident review"),
        body="""
            ## What happened

            The host of the MES database primary died at night. Patroni
            promoted a replica 20 seconds later, exactly as designed. The
            MES services kept failing for almost four minutes, and then
            recovered on every pod at the same moment.

            ## Why

            The clients were still talking to a dead host. When a host dies
            without closing its connections, a client on an idle connection
            only notices when the kernel gives up on it, and with the
            default Linux settings that takes minutes.

            ## What we changed

            - TCP keepalives in pgbouncer (`tcp_keepidle = 10`,
              `tcp_keepintvl = 5`, `tcp_keepcnt = 3`) and the same values
              in the apps' connection strings.
            - Failover tests in staging now cut the primary's network
              instead of stopping Postgres cleanly. A clean shutdown never
              shows this.

            ## What we learned

            The network-cut test recovered in 31 seconds, down from 3:50.
            A failover is only as fast as the slowest client notices it.
            """,
        helped=("arjun", "ethan", "ines", "miguel", "kofi"),
    ),
    P(
        "Build cache fills the CI runners' disks",
        STORY,
        ("ethan",),
        days=30,
        tags=("CI/CD", "Kubernetes"),
        status=DRAFT,
        captured_from="Flaky CI runners: jobs die with 'no space left on "
        "device' twice a day",
        message="Draft: rewritten as a story, numbers still to check",
        body="""
            ## What happened

            About twice a day, jobs on the shared Kubernetes runners died
            during the Docker build with "no space left on device". A rerun
            usually worked, so it depended on which node the job landed on.
            The ML training pipeline hit it first because of its big base
            images.

            ## Why

            The runners build images with Docker-in-Docker on the node's
            ephemeral disk, and the layer cache of earlier jobs filled it.

            ## What we changed

            - Each job pod gets an `emptyDir` with a `sizeLimit` of 40Gi: a
              full disk fails one job with a clear message, not the node.
            - A nightly job prunes build cache older than 24 hours.
            - The ML base image is cached in the registry.
            - Heavy jobs can ask for the `ci-large` pool with
              `tags: [large]`.

            ## What we learned

            TODO: failure counts before and after.
            """,
    ),
    P(
        "SLO",
        TERM,
        ("chloe",),
        days=380,
        tags=("observability",),
        verified=100,
        body="""
            **Service level objective.** The reliability a service promises
            its users, measured from their side: "99.5 % of portal page
            loads under 1 s over 28 days". What is left over is the error
            budget. We page on burning the budget, not on CPU.
            """,
    ),
    P(
        "Toil",
        TERM,
        ("arjun",),
        days=300,
        tags=("on-call",),
        body="""
            Manual, repetitive operational work that a machine could do and
            that grows with the size of the service: restarting the same
            pod, resizing the same volume, approving the same request. We
            keep it under a third of each engineer's week and automate the
            rest.
            """,
    ),
    P(
        "Drift",
        TERM,
        ("ines",),
        days=80,
        tags=("Terraform",),
        verified=20,
        body="""
            The difference between what the code (Terraform, Helm values)
            says and what is really running. Some is expected (an
            autoscaler owns the node count: tell Terraform to ignore it);
            the rest is found by the nightly `terraform plan
            -detailed-exitcode` and fixed by the owning team within a day.
            """,
    ),
    P(
        "Runbook",
        TERM,
        ("arjun",),
        days=600,
        tags=("on-call",),
        review_days=365,
        verified=30,
        body="""
            Step-by-step instructions for one alert or one operation,
            written for someone who was woken up at 3 am. Every paging alert
            links to its runbook. Runbooks live next to the code; the
            repertoire links to them.
            """,
    ),
)  # fmt: skip

SUPPORT: tuple[Piece, ...] = (
    P(
        "F-3107 DC bus overvoltage on braking: three questions first",
        ROUTINE,
        ("megan", "joao", "lina"),
        days=125,
        tags=("fault codes", "troubleshooting"),
        captured_from="F-3107 'DC bus overvoltage' on braking: what do you "
        "ask the customer first?",
        message="Tidied up into a routine for first-line support",
        verified=60,
        body="""
            F-3107 means the DC bus voltage went over the limit, nearly
            always while the axis brakes. Ask these three things in this
            order: each one rules out a cause, and most tickets are solved
            on the first call.

            1. **Parameter P4.12** (braking resistor type). If it says
               "none", the resistor is missing or not configured: done.
            2. **The deceleration time** in their program, against the one
               they had when it worked. 2 s changed to 0.5 s explains it by
               itself.
            3. **The fault log with timestamps.** F-3107 together with high
               mains voltage warnings means the bus was high before
               braking.

            Send article KB-0412 with your first reply: it has photos of
            the resistor labels, so customers can read the rating off the
            part.
            """,
        edits=(
            E("lina", 120, "Peak bus voltage on firmware before 3.4", (
                ("", """
                    On firmware older than 3.4, ask the customer to set
                    P9.02 to 1 before reproducing the fault: the drive then
                    records the peak bus voltage.
                    """),
            )),
            E("joao", 40, "Read the fault record from firmware 3.4 on", (
                ("braking.",
                 "braking. From firmware 3.4 the fault record has the "
                 "peak\n   voltage and braking power: above about 780 V "
                 "with a resistor\n   configured, the resistor is too "
                 "small for that ramp."),
            )),
        ),
        helped=("brian", "takeshi", "ananya", "hiroshi", "jamal",
                "sakura", "fatima"),
    ),
    P(
        "The first minute with a customer whose line is down",
        ROUTINE,
        ("fatima",),
        days=84,
        tags=("de-escalation",),
        verified=30,
        body="""
            The first minute is not about the fault. It shows the customer
            that the person on the phone is on their side. Troubleshooting
            questions asked now sound as if you are checking whether it is
            their fault; asked after step 3 they sound like help.

            1. Your name, and a promise: "I'm Fatima, and I'll stay with you
               until the line runs again."
            2. "Tell me what you're seeing." Let them talk without
               interrupting. Write down their words, not your
               interpretation.
            3. Repeat the one thing that matters to them: "So line 3 has
               been down since six and you have a shipment at noon."
            4. Only then: "Let's get it running. First question..."
            """,
        edits=(
            E("hiroshi", 80, "Say the time out loud", (
                ("", """
                    When you need time, say the time out loud: "It's 10:15
                    now; I'll call you back at 10:45 with the result, even
                    if we're still testing." A promised time calms people
                    more than any apology, and customers who go quiet
                    instead of shouting need it most.
                    """),
            )),
        ),
        helped=("lina", "joao", "ananya", "zanele", "brian", "jamal",
                "sakura", "megan", "larissa"),
    ),
    P(
        "Handover note for a ticket changing regions",
        TOOL,
        ("hiroshi", "joao"),
        days=68,
        tags=("escalation",),
        review_days=60,
        verified=50,
        body="""
            Five lines at the top of the ticket, not in the history. The
            engineer picking it up reads this before anything else.

            ```text
            State:      line stopped / running with a workaround / no impact
            Known:      the fault, and what is ruled out
            Tried:      each step, with its result
            Next step:  the one thing to do first
            Promise:    what the customer was told, and by when
            ```

            If the promise is missing, the next engineer calls the customer
            first, just to find out what they are expecting.
            """,
        edits=(
            E("fatima", 60, "Add the customer's local time", (
                ("Promise:    what the customer was told, and by when",
                 "Promise:    what the customer was told, and by when\n"
                 "Local time: the customer's time zone and working hours"),
            )),
        ),
        helped=("lina", "ananya", "megan", "takeshi"),
    ),
    P(
        "Macros write the facts, people write the first and last sentence",
        PRACTICE,
        ("megan", "joao"),
        days=35,
        tags=("macros", "KCS"),
        body="""
            Our guideline for the 240 macros in the ticket system, agreed in
            the community:

            - **A person writes the first sentence**, which shows that we
              read the ticket ("the F-3107 on your palletiser after the
              firmware update"), and **the last**, which says what happens
              next. The middle may be a macro.
            - **A complaint is never answered with a macro first.** The
              first reply is written by a person, even if it is three
              sentences.
            - **Every macro has an owner and a "last reviewed" date**, and
              is reviewed once a year.
            """,
        edits=(
            E("ananya", 20, "Fewer, better macros", (
                ("", """
                    Macros used fewer than five times a year are deleted at
                    the review. In the first review that was 131 of 240,
                    including several that contradicted each other.
                    """),
            )),
        ),
        helped=("lina", "hiroshi", "fatima", "brian"),
    ),
    P(
        "Saying no to a withdrawn firmware release",
        PRACTICE,
        ("takeshi", "brian"),
        days=52,
        tags=("firmware", "de-escalation"),
        review_days=30,
        verified=45,
        body="""
            When a customer insists on a release we withdrew:

            1. **Lead with what they need**, not with no. Usually it is a
               certified machine, not the release number.
            2. **Offer the patch release.** Every withdrawn release gets a
               patch release with only the fix (2.8.3 for 2.8), with a
               change list and a test report for their certification body.
            3. **If it still has to be no**, say it once, clearly, in
               writing, with the reason, and move straight to what we can
               do. Plain 2.8 is the product manager's decision, not
               support's.

            A "no" spread over three vague emails makes customers angrier
            than a clear one.
            """,
        helped=("fatima", "lina", "joao", "hiroshi"),
    ),
    P(
        "A new distributor's support team: the first two weeks",
        ROUTINE,
        ("zanele", "hiroshi"),
        days=7,
        tags=("onboarding",),
        status=DRAFT,
        message="First draft from Hiroshi's list; please add to it",
        body="""
            What worked for our last four distributors in APAC. Draft:
            Hiroshi and Zanele are trying it with the new partner in South
            Africa.

            1. **Day 1**: a partner portal account for everyone, before the
               contract paperwork is done.
            2. **Day 1**: a call where *they* show us how they troubleshoot
               a drive from another brand. We learn what to explain and
               what to skip.
            3. **Day 2**: the ten most-read knowledge base articles and the
               fault code list.
            4. **Day 3**: a demo drive and a braking resistor on their
               bench.
            5. **Weeks 1 and 2**: one shared ticket a day, solved together.
            """,
    ),
    P(
        "CSAT",
        TERM,
        ("megan",),
        days=300,
        tags=("SLA",),
        verified=100,
        body="""
            **Customer satisfaction score.** The share of answers of 4 or 5
            to "How satisfied are you with how we handled your request?",
            asked when a ticket closes. Read the comments, not only the
            number: they are where "reads like a vending machine" came
            from.
            """,
    ),
    P(
        "Macro",
        TERM,
        ("megan",),
        days=200,
        tags=("macros",),
        body="""
            A saved reply in the ticket system, with placeholders for the
            customer's name, product and ticket number. Good for facts,
            bad for the first sentence.
            """,
    ),
    P(
        "Escalation",
        TERM,
        ("fatima",),
        days=450,
        tags=("escalation",),
        verified=20,
        body="""
            Handing a ticket to someone with more knowledge (a functional
            escalation, to second level or product engineering) or more
            authority (a hierarchical escalation, to the duty manager).
            The ticket keeps its owner in support until it is solved.
            """,
    ),
    P(
        "KCS",
        TERM,
        ("megan",),
        days=500,
        tags=("KCS",),
        verified=60,
        body="""
            **Knowledge-Centered Service.** Capture what you learn while
            solving a ticket, in the customer's words; reuse an article
            when it fits; improve it whenever you use it. The knowledge
            base is a by-product of support, not a separate project.
            """,
    ),
)  # fmt: skip

ML: tuple[Piece, ...] = (
    P(
        "Leakage checklist before you trust a validation score",
        ROUTINE,
        ("wanjiru", "ravi"),
        days=90,
        tags=("evaluation", "machine learning", "time series"),
        verified=20,
        body="""
            A validation score that looks too good usually is. Go through
            this list before you show the number to anyone.

            1. **Split like the future.** Hold out whole machines, lines or
               customers, and the most recent months. A random split of
               rows puts near-copies of the same machine in train and test.
            2. **Group related rows.** Use `GroupKFold` with one group per
               machine (or per part):

               ```python
               from sklearn.model_selection import GroupKFold

               cv = GroupKFold(n_splits=4)
               for train, test in cv.split(X, y, groups=machine_ids):
                   ...
               ```

            3. **No future in the features.** Rolling windows, lags and
               targets must only look back from the prediction time.
            4. **Compare with a baseline.** If a trivial model scores
               almost as well, find out what both are using.
            5. **Expect a drop.** 0.97 AUC falling to 0.78 on a grouped
               split is the real number, and often still useful.
            """,
        edits=(
            E("ravi", 85, "Fit scalers on the training fold only", (
                ("3. **No future in the features.**",
                 "3. **No future in the features.** Fit scalers and "
                 "encoders on the\n   training fold only (a scikit-learn "
                 "`Pipeline` does that)."),
            )),
            E("aiko", 40, "Photos of the same part are related rows too", (
                ("machine (or per part):",
                 "machine, or per part for images: two photos of one part\n"
                 "   share the defect, the light and the background."),
            )),
        ),
        helped=("isabel", "priya", "kasia", "kofi", "stefan", "felix",
                "divya", "vikram", "lina"),
    ),
    P(
        "One-page paper summary template",
        TOOL,
        ("mei-lin",),
        days=320,
        tags=("papers",),
        verified=100,
        body="""
            The presenter posts this two days before the session, for an
            audience from PhD researchers to engineers who never trained a
            model.

            ## The paper

            Title, authors, year, link.

            ## Problem

            What they wanted to solve, in two sentences.

            ## Method

            The idea, without equations if you can.

            ## Results

            The numbers that matter, and on which data.

            ## What we could try

            One experiment on our own data, with the data set named.
            """,
        edits=(
            E("mei-lin", 150, "Session notes as What? So what? Now what?", (
                ("", """
                    ## After the session

                    **What?** what we read. **So what?** what it means for
                    our data. **Now what?** who tries what, by when.
                    """),
            )),
        ),
        helped=("wanjiru", "ravi", "aiko", "priya", "felix", "rui"),
    ),
    P(
        "Split image data by part, not by photo",
        PRACTICE,
        ("priya", "aiko"),
        days=40,
        tags=("computer vision", "evaluation"),
        verified=10,
        verifier="aiko",
        body="""
            When a part is photographed more than once (two angles, two
            lights, two stations), all its photos go to the same side of
            the split. Otherwise the model finds the answer in the other
            photo of the same part.

            - Split and cross-validate **grouped by part**: 5 folds, so
              every part is tested once and you see how much the score
              varies.
            - Augment **after** the split; augmenting before creates twins
              across train and test.
            - Report the number of **parts**, not photos, with a
              confidence interval.

            Our incoming-inspection classifier went from 96 % on a random
            split to 84 % grouped by part. 84 % is the number we can plan
            with.
            """,
        helped=("isabel", "mei-lin", "kofi", "lina", "felix"),
    ),
    P(
        "Did the new lubrication interval work? Estimating without an A/B "
        "test",
        STORY,
        ("wanjiru", "stefan"),
        days=60,
        tags=("causal inference", "evaluation"),
        body="""
            ## What happened

            Stuttgart changed the lubrication interval for gearbox bearings
            on all lines at once. Failures dropped from 11 to 6 a quarter,
            but in the same period the bearing supplier changed and the
            winter was mild. The plant wanted to roll the interval out
            everywhere.

            ## What we did

            The other plants kept the old interval but got the new bearing
            supplier at about the same time: an unplanned control group. We
            compared failures per machine-hour, Stuttgart against the
            others, before and after (difference in differences), with the
            outside temperature as a covariate. The trends before the
            change were close to parallel, which the method needs.

            ## What we learned

            About half of the drop came from the interval and the rest from
            the supplier; the interval is being rolled out. With six and
            eleven failures the confidence interval is wide, and saying so
            kept expectations honest.
            """,
        helped=("felix", "ravi", "mei-lin", "isabel", "priya"),
    ),
    P(
        "Labelling guide for gear-tooth images",
        ROUTINE,
        ("aiko", "felix"),
        days=100,
        tags=("labelling", "computer vision"),
        status=DRAFT,
        body="""
            For the gear-tooth inspection project: four classes (pitting,
            scuffing, chipped tooth, fine), one label per image.

            1. Read the class pages below; each has two example photos.
            2. Label the same 200 calibration images as everyone else.
            3. Compare with the others. Where you disagree, we fix this
               guide, not the labellers.
            4. Then label your batches; 5 % of every batch overlaps with
               another labeller.
            """,
        edits=(
            E("felix", 60, "Borderline examples: pitting or scuffing?", (
                ("", """
                    **Borderline**: many small pits in a band look like
                    scuffing at low resolution. Zoom to 100 % before you
                    choose; if you still can't tell, label it pitting and
                    flag the image.
                    """),
            )),
        ),
    ),
    P(
        "Leakage",
        TERM,
        ("wanjiru",),
        days=95,
        tags=("evaluation",),
        verified=20,
        body="""
            Information in the training data that will not be there when
            the model is used: the same machine in train and test, a
            feature computed with future data, a scaler fitted on
            everything. It makes validation scores look better than the
            model is.
            """,
    ),
    P(
        "Calibration",
        TERM,
        ("ravi",),
        days=200,
        tags=("machine learning",),
        body="""
            How well a model's predicted probabilities match what happens:
            of all drives given a 20 % failure risk, about 20 % should
            fail. A model can rank well (high AUC) and be badly calibrated;
            check with a reliability plot before anyone uses the
            probabilities for planning.
            """,
    ),
    P(
        "Concept drift",
        TERM,
        ("ravi",),
        days=150,
        tags=("time series",),
        verified=140,
        body="""
            A change over time in how the inputs relate to what we predict:
            a new bearing supplier, a new line, a firmware update that
            changes a signal. The model was right about the old world. Watch
            for it by tracking performance on recent data, not only the
            inputs.
            """,
    ),
    P(
        "AUC",
        TERM,
        ("mei-lin",),
        days=250,
        tags=("evaluation",),
        verified=60,
        body="""
            **Area under the ROC curve.** The probability that the model
            ranks a random positive (a failing bearing) above a random
            negative. 0.5 is guessing, 1 is perfect. It says nothing about
            calibration or about the threshold you will use.
            """,
    ),
)  # fmt: skip

NEW_HIRES: tuple[Piece, ...] = (
    P(
        "Your first two weeks: a checklist",
        ROUTINE,
        ("sofia", "matthias"),
        days=100,
        tags=("first weeks",),
        verified=10,
        body="""
            ## Week 1

            1. Collect your badge and laptop at reception (Stuttgart:
               Building 1; Lisbon: floor 2; elsewhere, your manager).
            2. Sign in to the intranet and the learning portal, and finish
               the information security module.
            3. Meet your buddy for a coffee.
            4. Book the onboarding day for your cohort.
            5. Join the New Hires Lounge and introduce yourself.

            ## Week 2

            6. If you will work on the shop floor: the safety induction and
               PPE fitting, before you go past the yellow line.
            7. Find two communities of practice for your work and read
               their charters.
            8. Ask one question in the open, however small.
            9. A 30-minute check-in with your manager: what is unclear?
            """,
        edits=(
            E("oliver", 40, "The onboarding day is streamed", (
                ("4. Book the onboarding day for your cohort.",
                 "4. Book the onboarding day for your cohort. The morning "
                 "is\n   streamed for remote starters."),
            )),
            E("sofia", 14, "Buddies can be at another site", (
                ("3. Meet your buddy for a coffee.",
                 "3. Meet your buddy for a coffee. Starting remote? Your "
                 "buddy is in\n   a nearby time zone, and changing "
                 "buddies is normal."),
            )),
        ),
        helped=("aisha", "ana", "jonas", "kofi", "lucas", "priscila",
                "sam", "zanele"),
    ),
    P(
        "Travel and expenses for a site visit",
        ROUTINE,
        ("gabriela", "sofia"),
        days=25,
        tags=("travel", "expenses"),
        captured_from="How do travel expenses work for a site visit to "
        "São Paulo?",
        message="Turned into a routine for any site visit",
        verified=20,
        verifier="sofia",
        body="""
            1. **Book through the travel portal** (Intranet, then Travel).
               Flights and the hotel are paid by the company, and the portal
               knows the hotels near each site with our rate.
            2. **Meals**: a per diem in Brazil, India and Kenya, so no meal
               receipts there; elsewhere keep them. Keep receipts for taxis
               and everything else.
            3. **Submit the expense report** in the same portal within 30
               days of your return. Put the project code in the report's
               header, not on each line: reports without it come back.
            4. It is paid with the next salary.

            At the airport, take an app taxi rather than a street taxi.
            """,
        helped=("priscila", "zanele", "aisha", "jonas", "lucas"),
    ),
    P(
        "Installing developer tools without admin rights",
        TOOL,
        ("ethan",),
        days=280,
        tags=("IT setup",),
        verified=150,
        body="""
            Admin rights take two weeks to approve. You don't need them for
            Python:

            ```shell
            python -m pip install --user virtualenv
            python -m virtualenv .venv
            .venv/Scripts/pip install -r requirements.txt
            ```

            Connect to the VPN first: packages come from our internal
            mirror.
            """,
        edits=(
            E("ethan", 4, "Use uv from the software centre", (
                ("python -m pip install --user virtualenv\n"
                 "python -m virtualenv .venv\n"
                 ".venv/Scripts/pip install -r requirements.txt",
                 "uv python install 3.12\nuv venv --python 3.12\n"
                 "uv pip install -r requirements.txt"),
                ("Python:", "Python. `uv` is in the software centre (no "
                 "approval needed)\nand installs everything in your home "
                 "folder:"),
            )),
        ),
        helped=("sam", "kofi", "lucas"),
    ),
    P(
        "Starting remote: my first weeks from Nairobi",
        STORY,
        ("aisha",),
        days=3,
        tags=("first weeks", "travel"),
        body="""
            ## What happened

            I'm the first person from our company in Nairobi, and my team
            is in Lisbon and São Paulo. The first week was quiet in a way
            an office never is: nobody to ask over the desk.

            ## What helped

            - Asking for a buddy in a nearby time zone. Fatima in Lisbon
              called on day three, and I had someone to ask the "silly"
              questions.
            - Asking in the Lounge instead of in private messages. Every
              answer I got was already useful to someone else.
            - Watching the streamed morning of the onboarding day, and
              planning my trip for the autumn one in Lisbon instead.

            ## What I'd tell the next remote starter

            Put your working hours in your profile, say hello in the Lounge
            in your first week, and ask for the buddy on day one.
            """,
        helped=("sofia", "zanele", "lucas", "matthias"),
    ),
    P(
        "OEE",
        TERM,
        ("tomasz",),
        days=250,
        tags=("acronyms",),
        body="""
            **Overall equipment effectiveness.** Availability times
            performance times quality: the share of planned time in which a
            machine makes good parts at full speed. You will see it on every
            line board; 85 % is world class, most lines are nearer 60 %.
            """,
    ),
    P(
        "PPAP",
        TERM,
        ("tomasz",),
        days=250,
        tags=("acronyms",),
        verified=30,
        verifier="sofia",
        body="""
            **Production part approval process.** The evidence a supplier
            sends before we accept a new or changed part: drawings,
            measurements, capability, control plan. A change of material
            or process at the supplier means a new PPAP.
            """,
    ),
    P(
        "CoP",
        TERM,
        ("sofia",),
        days=400,
        tags=("communities",),
        verified=30,
        body="""
            **Community of practice.** People who share a domain and learn
            from each other by working on real problems together, like the
            communities on this platform. Some admit anyone interested,
            others ask for a practice statement.
            """,
    ),
    P(
        "PM",
        TERM,
        ("diego",),
        days=90,
        tags=("acronyms",),
        body="""
            **Preventive maintenance** on the shop floor, **product
            manager** in the office. When in doubt, ask; everybody does.
            """,
    ),
)  # fmt: skip

IMPROVEMENT: tuple[Piece, ...] = (
    P(
        "A3 report template",
        TOOL,
        ("larissa", "hannah"),
        days=400,
        tags=("A3",),
        review_days=365,
        verified=200,
        body="""
            One page, read left to right. Write it with the people who do
            the work, and bring it to the monthly A3 review.

            ## Background

            Why this matters now, in two sentences.

            ## Current state

            What happens today.

            ## Target

            One number and a date.

            ## Root cause

            Fishbone, 5 why, the data that confirms the cause.

            ## Countermeasures

            | Countermeasure | Owner | Date | Status |
            | --- | --- | --- | --- |
            | | | | |

            ## Results

            The number after the change, and what it saves.

            ## Follow-up

            What we standardise, and what we tell the other product line.
            """,
        edits=(
            E("larissa", 300, "Savings in two columns", (
                ("The number after the change, and what it saves.",
                 "The number after the change, and what it saves: hard "
                 "savings and\ncost avoidance in separate lines, confirmed "
                 "by Finance."),
            )),
            E("hannah", 10, "Current state: one picture, one number, the "
              "Pareto", (
                ("What happens today.",
                 "What happens today, so that a reader who has never seen "
                 "the process\nunderstands the problem in a minute: one "
                 "picture, one number that\nshows the gap, the Pareto. "
                 "Logs go in an appendix; the fishbone\nbelongs under root "
                 "cause."),
            )),
        ),
        helped=("piotr", "stefan", "tyrone", "rafael", "andrzej", "amara",
                "ricardo"),
    ),
    P(
        "SMED in five steps",
        ROUTINE,
        ("beatriz", "rafael"),
        days=240,
        tags=("SMED",),
        verified=80,
        body="""
            1. **Film three changeovers** and watch them with the operators.
               Time every step.
            2. **Separate internal from external**: what needs the machine
               stopped, and what could be done while it runs.
            3. **Move external work out**: tools pre-staged on a changeover
               cart, the next job's material at the machine, the program
               loaded in advance.
            4. **Shorten the internal work**: quick clamps, fixed reference
               faces, no adjustments that a stop could replace.
            5. **Write the standard work** and train every shift on it.
               Measure again after a month.
            """,
        edits=(
            E("beatriz", 50, "When the easy conversions are used up", (
                ("", """
                    When the easy conversions are used up, it is
                    engineering, not organisation: quick-change arbors with
                    a fixed reference face took hob alignment from 12
                    minutes to 3, and a gauge at the machine for the two
                    characteristics that change with the tool replaced the
                    trip to the measuring room. Ask Finance to price the
                    downtime before you buy anything.
                    """),
            )),
        ),
        helped=("luana", "yuki", "dieter", "tyrone", "piotr", "stefan"),
    ),
    P(
        "Counting savings: hard savings and cost avoidance",
        PRACTICE,
        ("ricardo", "larissa"),
        days=62,
        tags=("savings", "A3"),
        verified=60,
        body="""
            - **Hard savings** reduce a cost that is in the actuals: less
              scrap, fewer hours, a cheaper part.
            - **Cost avoidance** removes a cost that was approved (a budget
              line, a signed capex request) or contractually certain. An
              idea that was only discussed does not count.

            To claim cost avoidance, put three things in the A3's results
            box: the approved line (number and amount), the calculation
            that shows it is no longer needed, and the date Finance
            released the budget. Send it to the cost accountant of your
            plant, who records it.

            The half-year report shows both in separate columns.
            """,
        helped=("hannah", "stefan", "tyrone", "amara"),
    ),
    P(
        "Hobbing cell 2: the changeover from 52 to 24 minutes",
        STORY,
        ("rafael", "beatriz"),
        days=8,
        tags=("SMED", "kaizen"),
        body="""
            ## What happened

            Two kaizen rounds took the changeover on hobbing cell 2 in São
            Paulo from 52 to 34 minutes: pre-staged tools, a changeover
            cart, standard work. Then it stalled. Hob alignment took 14
            minutes and the first-piece check 8, with the part walking to
            the measuring room.

            ## What we did

            - Filmed three changeovers. Half of the "alignment" was looking
              for the dial indicator; it now has a place on the cart.
            - Fitted a quick-change arbor with a fixed reference face.
              Finance priced the downtime first; it paid back in five
              months.
            - Built a gauge at the machine for the two characteristics the
              hob changes, agreed with quality before we built it.

            ## What we learned

            24 minutes now, target 20. The film was worth more than the
            arbor.
            """,
        helped=("luana", "larissa", "ricardo"),
    ),
    P(
        "Kaizen week sign-up sheet",
        TOOL,
        ("larissa",),
        days=590,
        tags=("kaizen",),
        status=ARCHIVED,
        body="""
            Copy the sheet for each kaizen week: one row per participant
            with name, site, line, travel dates and the theme they join.
            Send it to the host plant two weeks ahead.
            """,
    ),
    P(
        "Sizing a two-bin kanban loop",
        ROUTINE,
        ("larissa", "jamal"),
        days=15,
        tags=("kanban",),
        body="""
            1. Measure the use per hour for each part over four weeks, per
               shift and per day of the week. The average hides Mondays.
            2. Find the longest replenishment time, **including weekends
               and holidays** when no milk run comes.
            3. One bin holds the use over that replenishment time at the
               busiest hour, plus a safety margin for late deliveries.
            4. Check the product mix: big frame sizes at the start of the
               week can use twice the parts.
            5. Count empty bins at the start of the shift for three weeks,
               then resize.
            """,
        helped=("beatriz", "piotr", "tomasz"),
    ),
    P(
        "Takt time",
        TERM,
        ("tyrone",),
        days=500,
        tags=("line balancing",),
        verified=100,
        body="""
            Available working time divided by customer demand: the pace at
            which the line must finish one unit. 70 seconds on servo drive
            final assembly. A station slower than takt needs a second
            station or a rebalanced line, not overtime.
            """,
    ),
    P(
        "Gemba",
        TERM,
        ("larissa",),
        days=550,
        tags=("lean",),
        verified=40,
        body="""
            Japanese for "the real place": where the work happens. A gemba
            walk means going there to watch and ask, instead of reading a
            report about it.
            """,
    ),
    P(
        "Muda",
        TERM,
        ("hannah",),
        days=300,
        tags=("lean",),
        body="""
            Japanese for waste: anything the customer would not pay for.
            The classic seven are transport, inventory, motion, waiting,
            overproduction, over-processing and defects; many add unused
            skills.
            """,
    ),
    P(
        "Andon",
        TERM,
        ("stefan",),
        days=400,
        tags=("lean",),
        verified=20,
        body="""
            A signal (a cord, a button, a light) that anyone on the line
            uses to call for help when something is wrong. The point is
            the response: someone comes within a minute.
            """,
    ),
)  # fmt: skip

REMOTE: tuple[Piece, ...] = (
    P(
        "Shift handover between sites",
        TOOL,
        ("piotr", "marcus"),
        days=75,
        tags=("shift handover", "time zones"),
        verified=30,
        body="""
            One handover page per line in the shared shift log, filled in
            by the leaving shift and read by the receiving site's shift
            lead as part of their own handover.

            ```text
            Line:         line and site
            State:        running / reduced / stopped
            Open faults:  code, drive or station, since when
            Changed:      parameters, parts, programs: old and new values
            Watch for:    what the next shift should keep an eye on
            ```

            The receiving lead replies on the page with questions. Once a
            week, a 15-minute video call (7:00 Central / 14:00 Kraków), so
            people know whose notes they read.
            """,
        edits=(
            E("diego", 70, "Write it for someone who wasn't there", (
                ("", """
                    Write for someone who wasn't there: "changed P2.14 from
                    40 to 35 on drive 3 because of overshoot, watch for
                    F-2310", not "adjusted drive 3". Attach a photo of the
                    fault display.
                    """),
            )),
        ),
        helped=("tomasz", "diego", "kenji", "carlos", "tyrone",
                "beatriz"),
    ),
    P(
        "F-2310 only at night: look for what runs at night",
        PRACTICE,
        ("kenji", "carlos"),
        days=34,
        tags=("servo drives",),
        captured_from="Drive trips with F-2310 encoder error, only on the "
        "night shift",
        message="Tidied up: the two causes and how to check them",
        verified=28,
        verifier="carlos",
        body="""
            A fault that only happens at night usually has a cause that only
            runs at night.

            1. **Something switching at night**: floor heating, a cleaning
               machine, a compressor on a timer. If the encoder cable runs
               in the same tray as its power cable, that is your noise.
               Compare the fault times with the building's timers.
            2. **Temperature**: the hall cools down, the cable contracts and
               an intermittent contact in the connector opens. Check the
               connector on the drive side, not only the cable.

            On the Tokyo winding line it was the floor heating: its
            contactor sat in the same cable tray. Rerouting the encoder
            cables stopped the trips.
            """,
        edits=(
            E("kenji", 20, "Shield clamping: KB-0398 point 4", (
                ("", """
                    Before rerouting anything, check point 4 of the
                    shielding checklist in KB-0398: the shield clamped at
                    both ends, on bare metal. It is the one most often
                    wrong.
                    """),
            )),
        ),
        helped=("marcus", "diego", "megan", "sakura", "mateus"),
    ),
    P(
        "Field kit for commissioning at remote sites",
        ROUTINE,
        ("carlos", "brian"),
        days=44,
        tags=("remote commissioning", "spare parts"),
        review_days=45,
        verified=38,
        body="""
            Pack it the day before, and tick it off: the site never has the
            thing you forgot.

            1. Laptop, commissioning cable and a spare cable
            2. USB-to-serial adapter
            3. Drive firmware for the last three releases, offline
            4. Printed parameter list and fault code list
            5. Clamp meter and a small oscilloscope for encoder signals
            6. A spare fan and fuses for the drive sizes on site
            7. Power bank, head torch, snacks
            """,
        edits=(
            E("carlos", 30, "Gearbox nameplate decoder card", (
                ("7. Power bank, head torch, snacks",
                 "7. The gearbox nameplate decoder card (ratio and oil "
                 "type)\n8. Power bank, head torch, snacks"),
            )),
        ),
        helped=("diego", "kenji", "marcus", "piotr", "tyrone", "nathan"),
    ),
    P(
        "Commissioning drives without a VPN",
        PRACTICE,
        ("diego",),
        days=62,
        tags=("remote commissioning", "remote access"),
        review_days=45,
        verified=60,
        body="""
            When the customer's IT allows no remote access, commission with
            a local electrician and a phone. Plan two days for 12 drives,
            not one.

            1. Send the **parameter files** in advance, one per axis, named
               by the axis label on the cabinet. The electrician loads them
               from a USB stick through the keypad.
            2. Book a **video call on a phone with a chest mount**: both
               hands free, and you see what they see.
            3. Do one axis together, step by step. The electrician does the
               next while you watch, and the rest alone with the checklist.
            4. Ask for the **drive's trace file** after each axis, and check
               the tuning from it.
            """,
        edits=(
            E("diego", 61, "Parameter files as .dpar with checksums", (
                ("one per axis,",
                 "as `.dpar` exports with checksums\n   (never CSV: "
                 "spreadsheets turn 1.10 into 1.1), one per axis,"),
            )),
        ),
        helped=("carlos", "brian", "kenji", "marcus"),
    ),
    P(
        "PLC programs at customer sites: one master copy",
        PRACTICE,
        ("piotr", "tyrone"),
        days=100,
        tags=("PLC",),
        body="""
            - The master of every PLC program lives in version control, one
              repository per machine.
            - A nightly job compares each reachable PLC with the last
              commit. A difference opens a ticket, not an alarm: someone
              asks the site what changed and commits it with a note.
            - For sites we cannot reach, commissioning is not closed until
              the final program is committed, and every service visit ends
              with an upload and a commit.
            - The PLC has a password that integrators ask us for. It does
              not stop changes, but it starts a conversation.
            """,
        helped=("marcus", "diego", "tomasz", "beatriz"),
    ),
    P(
        "MTTR",
        TERM,
        ("marcus",),
        days=200,
        tags=("preventive maintenance",),
        verified=60,
        body="""
            **Mean time to repair.** From the moment a machine stops to the
            moment it runs again, averaged over the failures. At a remote
            site it is mostly waiting: for the expert, for the part, for
            customs.
            """,
    ),
    P(
        "Follow the sun",
        TERM,
        ("diego",),
        days=400,
        tags=("time zones",),
        body="""
            Handing work from one site to the next as the day ends, Tokyo
            to Kraków to Chicago, so that a problem is worked on around the
            clock. It only works with a good handover note.
            """,
    ),
    P(
        "Trace file",
        TERM,
        ("diego",),
        days=300,
        tags=("servo drives",),
        verified=120,
        body="""
            A recording the drive makes of selected signals (speed, current,
            position error) around a trigger, exported as a file. The best
            thing to ask for when you cannot be there.
            """,
    ),
)  # fmt: skip

LEADERSHIP: tuple[Piece, ...] = (
    P(
        "1:1s with a wide span: three rhythms",
        ROUTINE,
        ("katrin", "rachel"),
        days=55,
        tags=("one-on-ones",),
        verified=40,
        verifier="rachel",
        body="""
            With more than eight direct reports, one rhythm does not fit.

            1. **Fortnightly, 30 minutes** for people new in their role or
               going through a difficult stretch (usually three or four).
            2. **Monthly, 45 minutes** for everyone else, with their agenda.
            3. **A standing 15-minute slot** twice a week that anyone can
               book.
            4. Keep a shared running agenda per person; either of you adds
               points during the month.
            5. Once a quarter, ask whether the span is right: two or three
               people could report to one of the others, which is also a
               development step for that person.
            """,
        helped=("paulo", "ines", "felix", "stefan", "grace"),
    ),
    P(
        "Delegating a budget: a monthly look instead of approvals",
        PRACTICE,
        ("helena", "felix"),
        days=95,
        tags=("delegation", "budgets"),
        verified=82,
        body="""
            Delegate the budget, not the approvals.

            - Each lead gets an annual budget per category, with one rule:
              up to 5,000 euros per item without asking.
            - Lead and manager look at it together every month for 15
              minutes. The monthly look prevents February surprises; it is
              a habit, not control.
            - Say the obvious things: the budget is for the whole year.
            """,
        edits=(
            E("felix", 40, "Start with one category", (
                ("", """
                    Start with one category (training and conferences) for
                    one quarter, talk about how it went, then add the
                    next. Research delegated hardware in the second
                    quarter, and purchases stopped queueing on one desk.
                    """),
            )),
        ),
        helped=("ines", "katrin", "paulo", "stefan"),
    ),
    P(
        "A quarterly story for a community's sponsor",
        TOOL,
        ("grace", "rachel"),
        days=30,
        tags=("communities",),
        body="""
            What a sponsor asks a community of practice for, instead of a
            report. Two paragraphs, told by a member, no slides.

            ## What changed

            One thing the community changed this quarter: a practice, a
            decision, a problem solved. Who did it, where.

            ## Why it mattered

            What it saved, prevented or made possible, with a number if
            there is one.

            ## What would help

            One obstacle the sponsor could remove.
            """,
        helped=("stefan", "felix", "ines", "katrin"),
    ),
    P(
        "Announcing a reorganisation before the details are settled",
        STORY,
        ("stefan",),
        days=130,
        tags=("change",),
        body="""
            ## What happened

            In 2021 the Product Line A reorganisation was rumoured on the
            shop floor weeks before the works council consultation could
            start. Managers were asked about it every day.

            ## What we said

            "There are plans. The works council will be consulted first,
            and I'll tell you what I can on the day the consultation
            starts." And then we did, on that day, in person.

            ## What we learned

            - People can live with not knowing; they cannot live with being
              lied to.
            - Never share numbers early, not even ranges. A headcount range
              from one team meeting became the number everyone remembered,
              and it was wrong.
            """,
        helped=("paulo", "helena", "katrin"),
    ),
    P(
        "Sponsor",
        TERM,
        ("rachel",),
        days=600,
        tags=("communities",),
        verified=30,
        body="""
            The leader who gives a community of practice time, a budget and
            a voice upstairs, and who removes obstacles when asked. A
            sponsor listens in; a sponsor does not steer.
            """,
    ),
    P(
        "Span of control",
        TERM,
        ("katrin",),
        days=50,
        tags=("one-on-ones",),
        body="""
            How many people report directly to one manager. Past about
            eight, weekly 1:1s stop fitting in the week; past fourteen,
            something else stops working too.
            """,
    ),
)  # fmt: skip

REPERTOIRE: dict[str, tuple[Piece, ...]] = {
    "safety-quality": SAFETY,
    "platform-practice": PLATFORM,
    "support-craft": SUPPORT,
    "ml-reading-group": ML,
    "new-hires": NEW_HIRES,
    "process-improvement": IMPROVEMENT,
    "remote-site-ops": REMOTE,
    "leadership-circle": LEADERSHIP,
}
