"""The demo organisation's conversations: plain data, no logic.

Per community: a curated tag list (each tag linked to the skill it
belongs to, where one fits) and the questions and discussions its members
wrote, with their answers, comments, votes, "this also worked for me"
marks, accepted solutions, flags, direct asks and moderation. People are
named by their key in :mod:`practica.web.demo` (the first name as a
slug). Times are relative: a conversation was started ``days`` ago, an
answer came ``hours`` after the question, a remark ``hours`` after what
it remarks on. Bodies are Markdown, indented here for reading; the
builder dedents them.
"""

from typing import NamedTuple

from practica.conversations.models import Kind

QUESTION = Kind.QUESTION
DISCUSSION = Kind.DISCUSSION


class TagData(NamedTuple):
    name: str
    description: str
    skill: str = ""  # the area of practice, by skill name


class Remark(NamedTuple):
    """A comment on a question or an answer."""

    author: str
    body: str
    hours: float = 0  # after what it remarks on; 0: a little while after


class Answer(NamedTuple):
    """An answer to a question, or a reply in a discussion."""

    author: str
    hours: float  # after the question was asked
    body: str
    experience: str = ""
    up: tuple[str, ...] = ()
    down: tuple[str, ...] = ()
    worked: tuple[str, ...] = ()
    comments: tuple[Remark, ...] = ()
    accepted: bool = False
    flag: tuple[str, str] | None = None  # who, why


class Talk(NamedTuple):
    """A question or a discussion and everything that happened to it."""

    title: str
    author: str
    days: int  # since it was asked
    tags: tuple[str, ...]
    body: str
    kind: str = QUESTION
    answers: tuple[Answer, ...] = ()
    up: tuple[str, ...] = ()
    comments: tuple[Remark, ...] = ()
    asks: tuple[tuple[str, str], ...] = ()  # who was asked directly, why
    flag: tuple[str, str] | None = None  # who, why
    closed: str = ""  # the reason, when a coordinator closed it
    locked: str = ""  # the reason, when a coordinator locked it
    duplicate_of: str = ""  # the original's title: merged into it


T = TagData
TAGS: dict[str, tuple[TagData, ...]] = {
    "safety-quality": (
        T("near miss", "Reporting, investigating and learning from near "
          "misses."),
        T("LOTO", "Lockout/tagout: isolating machines and proving zero "
          "energy.", "Lockout/tagout"),
        T("8D", "Eight disciplines problem solving and 8D reports.",
          "8D problem solving"),
        T("FMEA", "Design and process FMEAs, severity and ratings.",
          "FMEA"),
        T("gauge R&R", "Repeatability and reproducibility of measuring "
          "equipment.", "Measurement system analysis"),
        T("SPC", "Control charts, capability and reaction plans.",
          "Statistical process control"),
        T("supplier quality", "Incoming parts, PPAP and supplier "
          "corrective actions.", "Supplier quality"),
        T("functional safety", "Safety functions, interlocks and ISO "
          "13849.", "Functional safety (ISO 13849)"),
        T("audits", "Internal and external audits and their findings.",
          "ISO 9001 auditing"),
        T("root cause", "5 why, fishbone, is/is-not: finding the real "
          "cause.", "Root cause analysis"),
        T("calibration", "Calibration intervals, labs and certificates."),
        T("machine safety", "Guards, presses, robots and safe work on "
          "machines."),
    ),
    "platform-practice": (
        T("Terraform", "Modules, state, drift and plans.", "Terraform"),
        T("Kubernetes", "Clusters, upgrades, workloads and node pools.",
          "Kubernetes"),
        T("PostgreSQL", "The database fleet: failover, backups, "
          "upgrades.", "PostgreSQL"),
        T("CI/CD", "Pipelines, runners and release checks.",
          "CI/CD pipelines"),
        T("observability", "Metrics, logs, traces, dashboards and "
          "alerts.", "Observability"),
        T("on-call", "The rota, pages and handovers.", "Incident response"),
        T("incident review", "Blameless reviews and what we learned.",
          "Incident response"),
        T("Linux", "Hosts, kernels and everything under the containers.",
          "Linux administration"),
        T("security", "Secrets, credentials and access."),
        T("RFC", "Proposals for the monthly architecture forum."),
    ),
    "support-craft": (
        T("de-escalation", "Calming a customer down and keeping them.",
          "De-escalation"),
        T("macros", "Canned replies: when they help and when they hurt."),
        T("KCS", "Knowledge-Centered Service: capture, reuse, improve.",
          "Knowledge-Centered Service"),
        T("KB articles", "Writing knowledge base articles that last.",
          "Technical writing"),
        T("SLA", "Response and resolution times, breaches and reports."),
        T("escalation", "Handing tickets up and across time zones."),
        T("fault codes", "Drive fault codes and what they really mean.",
          "Servo drive diagnostics"),
        T("troubleshooting", "Finding the cause in as few questions as "
          "possible.", "Technical troubleshooting"),
        T("field service", "Planning technician visits and parts.",
          "Field service coordination"),
        T("onboarding", "Onboarding customers and distributor partners.",
          "Customer onboarding"),
        T("firmware", "Releases, withdrawals and what to install."),
    ),
    "ml-reading-group": (
        T("papers", "Paper proposals and session notes."),
        T("evaluation", "Splits, leakage, metrics and honest numbers.",
          "Experiment design"),
        T("time series", "Forecasting and sequences from drives and "
          "plants.", "Time-series forecasting"),
        T("anomaly detection", "Finding the unusual in test and sensor "
          "data.", "Anomaly detection"),
        T("computer vision", "Inspection images and the models that read "
          "them.", "Computer vision"),
        T("causal inference", "What caused what, without a randomised "
          "trial.", "Causal inference"),
        T("Python", "Libraries, tools and code.", "Python"),
        T("labelling", "Labelling data consistently with small teams."),
        T("machine learning", "Models and methods in general.",
          "Machine learning"),
    ),
    "new-hires": (
        T("travel", "Trips between sites: booking, visas, per diems."),
        T("expenses", "Expense reports and getting your money back."),
        T("IT setup", "Laptops, accounts, software and VPN."),
        T("sites", "Buildings, canteens, parking and desks."),
        T("acronyms", "What the letters mean."),
        T("first weeks", "Buddies, onboarding days and settling in.",
          "Onboarding design"),
        T("shop floor safety", "Safety inductions, PPE and locks before "
          "you work on the shop floor.", "Lockout/tagout"),
        T("communities", "Finding and joining communities of practice."),
    ),
    "process-improvement": (
        T("value stream", "Value stream maps, current and future state.",
          "Value stream mapping"),
        T("SMED", "Changeover reduction.", "SMED changeover"),
        T("kaizen", "Kaizen weeks and events.", "Kaizen facilitation"),
        T("A3", "A3 reports and reviews.", "A3 problem solving"),
        T("kanban", "Pull loops, bins and milk runs.", "Kanban"),
        T("lean", "Lean manufacturing in general.", "Lean manufacturing"),
        T("Six Sigma", "DMAIC projects and statistics.",
          "Six Sigma (DMAIC)"),
        T("savings", "Counting and validating what improvements save."),
        T("line balancing", "Takt, stations and standard work."),
    ),
    "remote-site-ops": (
        T("shift handover", "Handing over between shifts and sites.",
          "Shift handover"),
        T("remote commissioning", "Commissioning equipment from afar.",
          "Remote commissioning"),
        T("spare parts", "Which spares to keep where, and how many.",
          "Spare parts planning"),
        T("servo drives", "Drive faults in the field.",
          "Servo drive diagnostics"),
        T("PLC", "PLC programs, backups and troubleshooting.",
          "PLC troubleshooting"),
        T("preventive maintenance", "PM plans that fit the site.",
          "Preventive maintenance"),
        T("remote access", "Reaching equipment behind customer "
          "firewalls."),
        T("time zones", "Working across Chicago, Kraków, Tokyo and the "
          "rest."),
    ),
    "leadership-circle": (
        T("delegation", "Handing over decisions and budgets.", "Coaching"),
        T("one-on-ones", "1:1s with the people we lead.", "Coaching"),
        T("feedback", "Hard conversations and honest feedback.",
          "Coaching"),
        T("budgets", "Budget decisions and trade-offs.", "Budgeting"),
        T("hiring", "Making the case for people and choosing them.",
          "Hiring"),
        T("change", "Reorganisations and what we tell our teams.",
          "Change management"),
        T("strategy", "Where our sites and product lines are going.",
          "Strategic planning"),
        T("communities", "Sponsoring communities of practice."),
    ),
}  # fmt: skip

A = Answer
R = Remark

SAFETY: tuple[Talk, ...] = (
    Talk(
        "How do we get night shift to report near misses instead of just "
        "fixing them?",
        "grace",
        days=118,
        tags=("near miss", "root cause"),
        body="""
            Chicago day shift reported 41 near misses last quarter; night
            shift reported 3. Night shift is not safer: when I walk the
            line at 2 am I see the same loose cables and blocked walkways,
            and people fix them and move on.

            The report is a paper card in a box by the canteen, and the box
            gets emptied once a week. What made reporting stick on your
            night shifts?
            """,
        up=("amara", "henrik", "olumide", "mateus", "yuki", "luana"),
        answers=(
            A(
                "amara",
                5,
                """
                Two things moved the numbers for us, and neither was a
                campaign.

                1. **Make it a 30-second job.** A QR code on every line
                   board opens a form with three fields: where, what could
                   have happened, what you did about it. A photo is
                   optional. Paper cards stayed as a fallback.
                2. **Close the loop where people can see it.** A "you
                   reported, we did" board next to the shift board,
                   updated weekly, with the reporter's first name if they
                   agree. Reports went up fourfold in São Paulo within two
                   months of the first board.

                And never make the count a target for supervisors: the
                month we did, we got 200 reports about missing pens.
                """,
                experience="Set up near-miss reporting at the Stuttgart "
                "and São Paulo plants (2017 to 2020)",
                up=("grace", "olumide", "henrik", "mateus", "katrin",
                    "luana"),
                worked=("olumide", "luana"),
                accepted=True,
                comments=(
                    R("grace", "The board goes up next to the shift board "
                      "on Monday. I'll report back in a month.", 3),
                    R("grace", "Update after six weeks: night shift sent "
                      "19 reports, 7 of them with photos. Thank you.",
                      24 * 44),
                ),
            ),
            A(
                "olumide",
                30,
                """
                On nights the supervisor is often the only person with
                authority, so we asked ours to read out the best report of
                the previous night at the shift start, and to say what was
                done about it. It takes two minutes, and people started
                reporting so their catch would be read out.

                Also check that the box is not next to the supervisor's
                office. Ours was.
                """,
                experience="Reliability engineer on the Chicago night "
                "shift for 4 years",
                up=("grace", "amara", "luana"),
            ),
            A(
                "katrin",
                52,
                """
                Go there at 2 am yourself, every month, and ask about the
                last near miss instead of the output numbers. The first few
                walks nobody says anything; by the fourth, people come to
                you with their phones out.
                """,
                experience="Plant manager in Stuttgart for 9 years; I walk "
                "every shift once a month",
                up=("grace", "amara"),
            ),
        ),
    ),
    Talk(
        "LOTO on the retrofitted 250 t press: the new servo cushion keeps "
        "stored energy",
        "luana",
        days=74,
        tags=("LOTO", "functional safety", "machine safety"),
        body="""
            Our 250 t press in São Paulo got a servo-driven die cushion
            during the retrofit in May. The LOTO placard still lists two
            energy sources: main electrical and the pneumatic supply for
            the clutch.

            When we isolated it last week for a die change, the drive's DC
            bus still showed 310 V four minutes after the main switch was
            off, and the cushion accumulator was at 40 bar. Nobody was
            hurt, but the procedure is clearly out of date. What should a
            LOTO procedure for a press like this include, and how do you
            verify zero energy on the servo side?
            """,
        up=("henrik", "amara", "grace", "olumide", "mateus", "katrin",
            "yuki"),
        answers=(
            A(
                "henrik",
                3,
                """
                Stop using the old placard today and tag the press out of
                service until the procedure is rewritten: that is what
                SQ-014 expects after any modification that adds an energy
                source.

                A procedure for this press needs every source on the
                placard, each with its isolation point and its check:

                - **Main electrical**: isolate and lock the main switch.
                - **DC bus of the cushion drive**: wait the discharge time
                  on the drive label, then *measure* at the DC test
                  terminals with a CAT III meter. Under 50 V DC before
                  anyone touches anything.
                - **Hydraulic accumulator**: open the dump valve, confirm
                  0 bar on the gauge, lock the valve open.
                - **Pneumatics**: lock the supply valve and bleed the
                  clutch line.
                - **Gravity**: block the slide with the ram blocks,
                  whatever the valves say.

                Then try to start from the HMI, return the controls to
                off, and only then work. I can review the draft before you
                train the crews.
                """,
                experience="Functional safety engineer for 16 years; "
                "author of our machine LOTO standard SQ-014",
                up=("luana", "amara", "olumide", "grace", "yuki",
                    "katrin"),
                worked=("olumide", "grace"),
                accepted=True,
                comments=(
                    R("olumide", "+1 on the ram blocks. On our 160 t press "
                      "the slide drifted 3 mm over one shift with every "
                      "valve closed.", 5),
                    R("luana", "Draft sent to you, Henrik. The press stays "
                      "tagged out until it's approved.", 20),
                ),
            ),
            A(
                "grace",
                20,
                """
                When you rewrite it, put a photo of each isolation point on
                the placard and number the points on the machine with the
                same numbers. Our audit findings on presses were almost
                never "no procedure"; they were "the procedure says valve
                V3 and nobody knows which one V3 is".

                For the die change crew, a group lockbox saves arguments:
                each person puts their own lock on the box that holds the
                keys.
                """,
                experience="LOTO auditor for 8 years at the North American "
                "plants",
                up=("henrik", "luana", "amara"),
            ),
            A(
                "takeshi",
                26,
                """
                From the drive side: the bus discharge resistor brings the
                DC link below 50 V in under three minutes, by design. You
                could show a countdown on the HMI after main-off and skip
                the meter, which is slow with gloves on.
                """,
                experience="Firmware engineer on the drive power stage for "
                "4 years",
                down=("henrik", "amara", "grace"),
                flag=(
                    "henrik",
                    "Suggests skipping the zero-energy check. That "
                    "contradicts SQ-014 and could get someone hurt.",
                ),
                comments=(
                    R("henrik", "A countdown tells you the resistor should "
                      "have worked. The meter tells you it did. A failed "
                      "resistor is exactly the case LOTO exists for, so "
                      "the check stays.", 2),
                    R("takeshi", "Fair point: I was thinking of the drive, "
                      "not the person. I'll ask whether we can add a "
                      "bus-voltage lamp that does not depend on the "
                      "resistor.", 6),
                ),
            ),
        ),
    ),
    Talk(
        "Supplier 8D for cracked gearbox housings says 'operator error': "
        "accept D4?",
        "mateus",
        days=58,
        tags=("8D", "supplier quality", "root cause"),
        body="""
            We found hairline cracks on 14 gearbox housings (cast GJS-400)
            at incoming inspection in São Paulo. The foundry's 8D came back
            within a week, which is good, but D4 reads:

            > Root cause: operator did not respect the cooling time before
            > shake-out. Action: operator retrained.

            Containment (D3) is fine: 100 % dye-penetrant check on stock
            and in transit. But "operator retrained" has closed three 8Ds
            from this supplier in two years. How do you push back on a D4
            like this without wrecking the relationship?
            """,
        up=("amara", "grace", "yuki", "priya", "olumide"),
        answers=(
            A(
                "amara",
                6,
                """
                "Operator error" is where a D4 starts, not where it ends.
                I send it back with three questions, always the same ones,
                so it never feels personal:

                1. Why was the operator *able* to shake out early? Is the
                   cooling time enforced by the process, or by memory?
                2. Why did the operator choose to? Was the line behind?
                   Who knew?
                3. Why did your outgoing check not catch the cracks? The
                   escape point is a second root cause and needs its own
                   action.

                Ask for the is/is-not table as well: if only one mould or
                one shift is affected, it will show. A supplier who answers
                those honestly is a good supplier, even with cracks.
                """,
                experience="Reviewed more than 200 supplier 8Ds as Quality "
                "Systems Lead",
                up=("mateus", "grace", "yuki", "priya", "olumide",
                    "henrik"),
                worked=("yuki", "grace"),
                accepted=True,
                comments=(
                    R("mateus", "Sent back with your three questions. The "
                      "answer to 2 was interesting: they pay a piece rate "
                      "on the shake-out station.", 30),
                ),
            ),
            A(
                "yuki",
                20,
                """
                Ask for the cooling-time log for the affected batches, not
                the standard. At one of our foundries the log showed that
                the early shake-outs all happened in the last hour before
                the weekend. The actions that worked were an interlock on
                the shake-out conveyor and a change to the shift plan, not
                training.
                """,
                experience="Supplier quality engineer for castings in "
                "Tokyo, 4 years",
                up=("mateus", "amara", "priya"),
            ),
            A(
                "priscila",
                24 * 30,
                """
                Something from the supply chain side that may matter: the
                foundry changed its moulding sand supplier in March and
                told purchasing, but I can't find a PPAP update for it. The
                cracks started in April.
                """,
                experience="Supply chain analyst; I follow this foundry's "
                "deliveries",
                up=("mateus", "amara"),
                comments=(
                    R("mateus", "That change should have triggered a new "
                      "PPAP. Thank you, Priscila: adding it to the 8D "
                      "review.", 4),
                ),
            ),
        ),
    ),
    Talk(
        "Gauge R&R on the new torque analyser comes out at 38 %: the tool "
        "or our method?",
        "olumide",
        days=9,
        tags=("gauge R&R", "calibration"),
        body="""
            We bought a new torque analyser for the gearbox output test in
            Chicago and ran a crossed gauge R&R: 10 parts, 3 operators, 3
            repeats each. Result: 38 % of tolerance, most of it
            reproducibility. The old analyser was at 14 % on the same
            parts.

            ```text
            Source            %StudyVar   %Tolerance
            Repeatability       17.2         11.9
            Reproducibility     49.8         34.6
            Total gauge R&R     52.7         38.2
            ```

            The three operators each clamp the adapter a bit differently,
            and the supplier says the tool is fine. Before I send it back:
            has anyone seen a reproducibility problem like this that turned
            out to be the fixture or the procedure?
            """,
        up=("hannah", "yuki", "emre"),
        comments=(
            R("yuki", "Did all three operators use the same adapter? We "
              "had two adapters that looked the same and were not.", 5),
        ),
        asks=(("priya", "Ran the MSA for the Bengaluru incoming gauges"),),
    ),
    Talk(
        "Cpk of 1.8 on incoming castings, yet the plant still finds "
        "porosity",
        "grace",
        days=3,
        tags=("SPC", "supplier quality", "root cause"),
        body="""
            Our supplier sends SPC data with every delivery of output shaft
            housings: Cpk 1.8 on the bore diameter, beautiful charts.
            Meanwhile the Chicago machining line scraps about 2 % of the
            housings for porosity that opens up when the bore is machined.

            I suspect we are charting the wrong characteristic, but I'd
            like to go to the supplier with more than a suspicion. How do
            you decide which characteristics a supplier should chart, and
            what would you ask for here?
            """,
        up=("amara", "olumide"),
        asks=(("mateus", "Runs the supplier-issue case reviews"),),
    ),
    Talk(
        "Safety day this year: which topics should every site cover?",
        "henrik",
        days=44,
        kind=DISCUSSION,
        tags=("near miss", "LOTO"),
        body="""
            Each site runs its own safety day, and that is good, but a few
            topics should be the same everywhere so we can compare what
            people learn. My proposal for this year:

            - LOTO on modified machines (after the press retrofit in São
              Paulo)
            - Near-miss reporting: how to, and what happened to last year's
              reports
            - Forklift and pedestrian routes in goods-in

            What would you add, and what would you drop?
            """,
        up=("amara", "grace", "luana", "katrin", "olumide"),
        answers=(
            A(
                "luana",
                4,
                """
                Keep LOTO, and make it hands-on: let people find the energy
                sources on a real machine with the placard covered. At our
                stand the crews found the hydraulic accumulator in 3 of 8
                tries.
                """,
                experience="Process technician in São Paulo; I ran our "
                "safety day stand on presses",
                up=("henrik", "amara", "katrin"),
            ),
            A(
                "katrin",
                22,
                """
                Add manual handling. It is not exciting, but it is where
                most of our lost days come from in Stuttgart, and people
                never think of it as "safety".
                """,
                experience="Plant manager; host of the Stuttgart safety "
                "day for 6 years",
                up=("henrik", "grace"),
            ),
            A(
                "hannah",
                30,
                """
                Whatever the topics, please plan them with production early.
                Last year two lines ran overtime that day, and half of the
                people who most needed the LOTO session could not come.
                """,
                experience="Production planner; I schedule the safety day "
                "around the build plan",
                up=("katrin", "henrik"),
            ),
            A(
                "amara",
                50,
                """
                Let's use one feedback form across the sites this year, so
                the results can be compared. I'll put a one-page version in
                the repertoire.
                """,
                experience="Quality Systems Lead; I collect the safety day "
                "feedback across sites",
                up=("henrik",),
            ),
        ),
    ),
    Talk(
        "Design FMEA: how do we keep severity ratings consistent between "
        "Stuttgart and Tokyo?",
        "yuki",
        days=190,
        tags=("FMEA",),
        body="""
            In the FMEA for the new servo drive variant, Stuttgart rated
            "encoder signal lost" at severity 8, and Tokyo rated the same
            failure 6 in the FMEA for the Japanese market version. Both
            teams can defend their number. Is there a way to make severity
            consistent across sites without one central team rating
            everything?
            """,
        up=("amara", "henrik", "mateus", "sakura"),
        comments=(
            R("sakura", "We discussed this in the Tokyo team: we had indeed "
              "rated the effect with a working safe stop. A catalogue would "
              "have saved us a meeting.", 60),
        ),
        answers=(
            A(
                "amara",
                8,
                """
                Rate severity against the *effect on the end user*, and
                keep one shared catalogue of effects with their severity,
                owned by the FMEA method group. Teams pick an effect from
                the catalogue instead of rating from scratch; if no effect
                fits, they propose one and we add it within a week.

                In your case, "encoder signal lost" is a failure mode, not
                an effect. The effect is "axis stops uncontrolled" (9,
                safety-relevant) or "axis stops with a fault, safe stop
                works" (6). Both teams were probably right, about different
                effects.
                """,
                experience="FMEA method owner; moderated more than 40 "
                "design FMEAs",
                up=("yuki", "henrik", "mateus", "sakura", "olumide"),
                worked=("sakura", "mateus"),
                accepted=True,
            ),
            A(
                "henrik",
                26,
                """
                And when an effect is safety-relevant, the severity is not
                up for local debate: it is 9 or 10, and the safety function
                gets its own row with the required performance level. That
                removed most of the arguments we had.
                """,
                experience="Functional safety engineer; I check the "
                "safety-relevant rows of every design FMEA",
                up=("amara", "yuki"),
            ),
        ),
    ),
    Talk(
        "Can we bridge the guard door switch while tuning servo gains on "
        "the test cell?",
        "sakura",
        days=150,
        tags=("functional safety", "machine safety"),
        body="""
            Tuning the position loop on the test cell means opening the
            guard door dozens of times a day, and every opening stops the
            axis and costs two minutes of re-homing. A colleague suggested
            bridging the door switch with a jumper during tuning, with a
            sign on the door. Is that acceptable if only trained engineers
            are in the cell?
            """,
        up=("yuki", "takeshi"),
        locked="Settled: bridging an interlock is never allowed (SQ-007). "
        "For setups that need the door open, ask the functional safety "
        "team for a reduced-speed mode.",
        answers=(
            A(
                "henrik",
                2,
                """
                No. Bridging an interlock is never acceptable, trained
                engineers or not. It is also one of the most common causes
                of serious accidents during commissioning, precisely
                because the people in the cell are experts.

                What you need is a setup mode designed for it:

                - a mode selector (key switch) that allows *reduced speed*
                  with the door open,
                - safely limited speed (SLS) in the drive, monitored by the
                  safety controller,
                - a three-position enabling switch that the engineer holds
                  while the axis moves.

                The drive on that cell supports SLS already. I can help
                you set it up next week; it takes an afternoon.
                """,
                experience="Functional safety engineer; I validate the "
                "safety functions on our test cells",
                up=("sakura", "amara", "yuki", "grace", "olumide",
                    "takeshi"),
                accepted=True,
                comments=(
                    R("sakura", "Thank you, Henrik. Booked for Tuesday, and "
                      "the jumper is in the bin.", 3),
                ),
            ),
            A(
                "stefan",
                5,
                """
                And if the re-homing is the real pain, ask the firmware
                team about keeping the position reference through a safe
                torque off. The current release supports it for absolute
                encoders.
                """,
                experience="Product line manager for servo drives; I signed "
                "off the SLS feature",
                up=("sakura", "henrik"),
            ),
        ),
    ),
    Talk(
        "Audit finding 'work instructions not at point of use': what "
        "counts as point of use?",
        "katrin",
        days=95,
        tags=("audits",),
        body="""
            The external auditor wrote a minor finding on final assembly in
            Stuttgart: work instructions are "not available at the point of
            use". They are on the line PC, two stations away from the
            torque station. The operators know the steps by heart and say
            the PC is close enough.

            Before we buy tablets for 30 stations: what did auditors accept
            at your sites?
            """,
        up=("amara", "henrik", "emre", "hannah"),
        answers=(
            A(
                "amara",
                4,
                """
                The test auditors apply is simple: can the operator see the
                instruction without leaving the station, at the moment they
                need it? Two stations away fails that test, however well
                people know the steps.

                It does not have to be tablets. What passed at our other
                plants:

                - a laminated one-page instruction at the station for the
                  critical steps (torque values, sequence), with the
                  document revision on it,
                - the full instruction on the line PC,
                - a check in the layered audit that the revision at the
                  station matches the current one.

                Keep it to the safety- and quality-critical steps; nobody
                needs a sheet for putting a box on a pallet.
                """,
                experience="ISO 9001 lead auditor; 12 years of internal and "
                "external audits",
                up=("katrin", "emre", "hannah", "henrik"),
                worked=("hannah",),
                accepted=True,
            ),
            A(
                "emre",
                28,
                """
                If you do go for screens, put them where the operator looks
                anyway. We mounted small screens above the torque tool, and
                the instruction changes with the variant scanned at the
                station. It cost about 600 euros a station, and the finding
                did not come back.
                """,
                experience="Tooling engineer; wrote the screen instructions "
                "for 6 machining cells",
                up=("katrin", "stefan"),
            ),
        ),
    ),
    Talk(
        "Gearbox leaking at the customer's bottling plant after 200 hours: "
        "where do we start?",
        "jakub",
        days=33,
        tags=("8D", "root cause"),
        body="""
            Northbrook Beverages called this morning: two of the PL-B 160
            gearboxes on their bottling line in Ohio are leaking oil at the
            output shaft seal after about 200 hours. They want an 8D by
            Friday and a visit next week. Has anyone seen seal leaks this
            early on that size? I'd like to start D2 with more than "it
            leaks".
            """,
        up=("mateus",),
        flag=(
            "amara",
            "Names the customer. Our charter keeps customer names out of "
            "posts; please move the details to the 8D tracker.",
        ),
        comments=(
            R("amara", "Jakub, I've moved this into the 8D tracker "
              "(8D-2291) so we can work on it with the customer's details. "
              "What we learn goes into the repertoire without them.", 5),
        ),
        closed="Customer-specific complaint: continued in the 8D tracker "
        "(8D-2291) so the customer's details stay out of the community. "
        "Olumide's tip is copied there.",
        answers=(
            A(
                "olumide",
                2,
                """
                Ask for the mounting position and the breather type before
                anything else. Early leaks at the output seal of the 160
                were almost always a blocked or missing breather on
                gearboxes mounted vertically: pressure builds up and
                pushes oil past the lip.
                """,
                experience="Reliability engineer; led the seal failure "
                "analysis on the PL-B 120",
                up=("jakub", "mateus", "amara"),
            ),
        ),
    ),
    Talk(
        "Which SPC rules do you actually react to on end-of-line test "
        "data?",
        "sakura",
        days=30,
        tags=("SPC",),
        body="""
            We put the end-of-line test results for the servo drives
            (no-load current, back-EMF constant, insulation resistance) on
            control charts in Tokyo. With all eight Western Electric rules
            switched on, the charts flag something every shift, and people
            have started to ignore them.

            Which rules do you act on, and which do you only look at in the
            weekly review?
            """,
        up=("priya", "mateus", "stefan", "hannah"),
        answers=(
            A(
                "priya",
                7,
                """
                We react on the shift to rule 1 only (a point beyond 3
                sigma), because with stable data that one is almost never a
                false alarm. Runs and trends go into a weekly review, where
                someone looks at them with context: a new batch of magnets,
                a recalibrated bench.

                Two checks before you trust the limits:

                - Calculate them from a period when the process was
                  stable, not from the last 25 points.
                - Check that the bench resolution is fine enough. Our
                  insulation tester reported in steps of 10 MΩ, so the
                  chart was really a histogram of three values and the
                  run rules fired all the time.
                """,
                experience="Four years of SPC on incoming inspection data "
                "in Bengaluru",
                up=("sakura", "mateus", "stefan", "hannah", "amara"),
                worked=("stefan",),
                accepted=True,
            ),
            A(
                "mateus",
                30,
                """
                Agree with Priya. One more: write the reaction next to each
                rule on the chart itself ("rule 1: stop, call the test
                engineer; rule 2: note it for the review"). Charts get
                ignored when nobody knows what a signal is supposed to make
                them do.
                """,
                experience="SPC on incoming castings and bearings for 5 "
                "years",
                up=("priya", "sakura"),
            ),
        ),
    ),
    Talk(
        "Personal padlocks or shift padlocks for the maintenance crew?",
        "marcus",
        days=9,
        tags=("LOTO",),
        body="""
            I started as maintenance supervisor in Chicago this month. Our
            crew uses shift padlocks: six red locks hang on a board and
            whoever is on shift takes one. The Stuttgart procedure I was
            given says every person has their own lock with their name on
            it.

            Is the shift-lock practice acceptable anywhere in the company,
            or should I change it this week?
            """,
        up=("olumide", "grace", "henrik"),
        answers=(
            A(
                "olumide",
                3,
                """
                Change it. The point of a personal lock is that only the
                person who put it on can take it off. With shift locks the
                next shift can remove a lock that protects someone who is
                still inside the machine. SQ-014 requires personal locks at
                every site; Chicago had an exception that expired years
                ago. I'll bring you a box of named locks tomorrow.
                """,
                experience="Reliability engineer in Chicago; LOTO "
                "coordinator for the plant since 2019",
                up=("marcus", "grace", "henrik"),
            ),
            A(
                "magdalena",
                100,
                """
                At my previous employer we had personal locks plus a shift
                lock on a group lockbox for long jobs across shifts, so the
                machine stays locked at the handover when people go home.
                Maybe that is what the shift locks were meant for?
                """,
                up=("marcus",),
                comments=(
                    R("olumide", "Good point: a group lockbox with a shift "
                      "lock is allowed for jobs that span shifts, as long "
                      "as everyone working adds their own lock too.", 4),
                ),
            ),
        ),
    ),
)  # fmt: skip

PLATFORM: tuple[Talk, ...] = (
    Talk(
        "Terraform plan shows drift on every run for our EKS node groups",
        "miguel",
        days=82,
        tags=("Terraform", "Kubernetes"),
        body="""
            Since we enabled the cluster autoscaler on the `factory-prod`
            cluster, every `terraform plan` wants to change the node groups
            back:

            ```text
            # aws_eks_node_group.workers["general"] will be updated
              ~ resource "aws_eks_node_group" "workers" {
                  ~ scaling_config {
                      ~ desired_size = 7 -> 3
                        max_size     = 12
                        min_size     = 3
                    }
                }
            ```

            Applying would scale the cluster down in the middle of the day.
            Right now we just don't apply, which means real drift hides in
            the noise. What is the clean way to let the autoscaler own the
            size?
            """,
        up=("ines", "rui", "ethan", "arjun"),
        answers=(
            A(
                "ines",
                2,
                """
                Tell Terraform to ignore the field the autoscaler owns, in
                the node group module:

                ```hcl
                resource "aws_eks_node_group" "workers" {
                  # ...
                  lifecycle {
                    ignore_changes = [scaling_config[0].desired_size]
                  }
                }
                ```

                Terraform still sets `desired_size` when it creates the
                group and still manages `min_size` and `max_size`. Our
                module has an `autoscaler_managed = true` flag that does
                exactly this; bump it to v4.2 and set the flag.
                """,
                experience="Maintain our Terraform modules for 14 clusters",
                up=("miguel", "rui", "ethan", "arjun", "chloe"),
                worked=("ethan", "arjun"),
                accepted=True,
                comments=(
                    R("miguel", "v4.2 with the flag: the plan is clean on "
                      "all three clusters. Thank you!", 5),
                    R("sam", "Still clean after yesterday's autoscaler "
                      "upgrade, for anyone who finds this later.",
                      24 * 80.5),
                ),
            ),
            A(
                "rui",
                20,
                """
                Once the noise is gone, catch real drift on purpose: we run
                `terraform plan -detailed-exitcode` nightly in CI for every
                stack, and exit code 2 opens a ticket for the owning team.
                Drift gets fixed within a day instead of surprising someone
                during an incident.
                """,
                experience="Ran 3 Terraform state migrations at my previous "
                "employer",
                up=("miguel", "ines", "chloe"),
            ),
        ),
    ),
    Talk(
        "Flaky CI runners: jobs die with 'no space left on device' twice "
        "a day",
        "elena",
        days=36,
        tags=("CI/CD", "Kubernetes"),
        body="""
            Our model training pipeline runs on the shared Kubernetes
            runners, and about twice a day a job fails during the Docker
            build with:

            ```text
            failed to register layer: write /usr/lib/...: no space left
            on device
            ```

            Re-running the job usually works, so it seems to depend on
            which node the job lands on. Is there a known fix, or should we
            move to our own runners?
            """,
        up=("ethan", "ravi", "wanjiru"),
        answers=(
            A(
                "ethan",
                4,
                """
                Don't move: this one is ours to fix. The runners build
                images with Docker-in-Docker on the node's ephemeral disk,
                and the layer cache of earlier jobs fills it up. The big ML
                base images make you the first to hit it.

                What we changed this morning:

                - each job pod gets an `emptyDir` with a `sizeLimit` of
                  40Gi, so a full disk fails one job with a clear message
                  instead of the node,
                - a nightly job prunes build cache older than 24 hours on
                  every runner node,
                - the ML base image is now cached in the registry, so your
                  builds pull one layer instead of building twelve.

                Tell me if you still see it after Thursday.
                """,
                experience="Own the shared GitLab runners; 9 years of CI/CD",
                up=("elena", "ravi", "arjun", "wanjiru"),
                worked=("wanjiru", "ravi"),
                accepted=True,
                comments=(
                    R("elena", "Two weeks without a single failure. Thank "
                      "you, Ethan.", 24 * 14),
                ),
            ),
            A(
                "arjun",
                9,
                """
                Also worth knowing: you can pin heavy jobs to the
                `ci-large` node pool with `tags: [large]` in the job. Those
                nodes have 500 GB disks and are rarely busy before 10:00
                IST.
                """,
                experience="Staff SRE; I look after the runner node pools",
                up=("elena", "ethan"),
            ),
        ),
    ),
    Talk(
        "Postgres failover took 4 minutes for the apps although Patroni "
        "switched in 20 seconds",
        "chloe",
        days=22,
        tags=("PostgreSQL", "incident review"),
        body="""
            Last night's failover on the MES database cluster: Patroni
            promoted the replica 20 seconds after the primary's host died.
            But the MES services kept failing for about four minutes, and
            our dashboards show the connection errors stopping at the same
            moment on every pod, as if something timed out.

            Where do the missing three and a half minutes come from, and
            how do we get rid of them before the next maintenance window?
            """,
        up=("rui", "arjun", "ethan", "ines", "miguel"),
        answers=(
            A(
                "rui",
                3,
                """
                Almost certainly TCP. When a host dies without closing its
                connections, clients sitting on an idle connection don't
                notice until the kernel gives up on it, and with the
                default Linux settings that takes minutes. Patroni did its
                job; the clients were still talking to a dead host.

                Turn on keepalives on both sides:

                ```ini
                ; pgbouncer.ini
                tcp_keepalive = 1
                tcp_keepidle = 10
                tcp_keepintvl = 5
                tcp_keepcnt = 3
                ```

                and `keepalives_idle=10 keepalives_interval=5
                keepalives_count=3` in the apps' connection strings. Then
                test it properly: in staging, cut the primary's network
                instead of stopping Postgres cleanly. A clean shutdown
                never shows this.
                """,
                experience="Database reliability engineer; run our 30-node "
                "Postgres fleet",
                up=("chloe", "arjun", "ethan", "miguel", "ines"),
                worked=("arjun", "ethan"),
                accepted=True,
                comments=(
                    R("chloe", "Network-cut test in staging: the apps "
                      "recovered in 31 seconds with the new settings, down "
                      "from 3:50.", 24 * 6),
                ),
            ),
            A(
                "kofi",
                24 * 16,
                """
                In our lab we put HAProxy in front of the cluster and let it
                health-check Patroni's REST API (`GET /primary` on port
                8008), so clients always connected to whichever node was
                the leader. It needed no changes in the apps. I'm not sure
                how that scales to a fleet this size.
                """,
                experience="Ran a small Patroni cluster for my PhD lab",
                up=("chloe",),
                comments=(
                    R("rui", "That works, and it's what we do for the "
                      "research clusters. For MES we keep pgbouncer because "
                      "of the connection counts, but the health check is a "
                      "good idea.", 5),
                ),
            ),
        ),
    ),
    Talk(
        "On-call handover between Lisbon and Toronto: what goes in the "
        "note?",
        "ines",
        days=52,
        kind=DISCUSSION,
        tags=("on-call",),
        body="""
            Since the rota follows the sun, every weekday has two
            handovers, and the notes vary a lot. I'd like us to agree on a
            short template before the next game day. What do you want to
            read when you pick up the pager?
            """,
        up=("chloe", "ethan", "arjun", "miguel", "rui"),
        answers=(
            A(
                "chloe",
                3,
                """
                Three things, in this order:

                1. **What is still burning**: open incidents, with the link
                   and who owns them.
                2. **What might page you**: alerts that fired and were
                   acknowledged but not fixed, and anything deployed in the
                   last four hours.
                3. **What you promised**: anyone waiting for an answer from
                   on-call.

                Everything else can be a link to the dashboard.
                """,
                experience="On the Toronto rota for 3 years",
                up=("ines", "ethan", "arjun", "miguel", "rui"),
            ),
            A(
                "ethan",
                5,
                """
                Add "quiet or noisy shift?" as one word at the top. If the
                last shift was noisy, I read everything; if it was quiet, I
                read the first section and start my day.
                """,
                experience="On call for the CI platform, one week in four",
                up=("chloe", "ines"),
            ),
            A(
                "arjun",
                14,
                """
                Please also write the handover when nothing happened.
                "Nothing happened" is information; a missing note makes me
                wonder whether the last person forgot.

                Here is what we use in Bengaluru, happy to merge it with
                Chloé's list:

                ```markdown
                ## Handover Lisbon -> Toronto (quiet)
                - Burning: none
                - Might page: disk alert on pg-mes-2 acked, cleanup running
                - Deployed: portal 5.12 at 14:10 WET
                - Promised: GPU quota answer to Research by end of day
                ```
                """,
                experience="Staff SRE; I run the Bengaluru leg of the rota",
                up=("ines", "chloe", "miguel"),
            ),
            A(
                "miguel",
                28,
                """
                +1 to all of this. Could the template live in the on-call
                channel's topic, so it is in front of people when they
                write the note, rather than in a wiki page?
                """,
                experience="On the Lisbon rota since last year",
                up=("ines",),
            ),
        ),
    ),
    Talk(
        "Prometheus memory keeps growing since we added per-drive labels",
        "ravi",
        days=112,
        tags=("observability",),
        body="""
            We export vibration features from the test benches to
            Prometheus, and last month we added a `drive_serial` label so
            we could graph each drive. Since then Prometheus memory grows
            by about 2 GB a day, and it was OOM-killed twice this week. Is
            the label the problem, and if so, where should per-drive data
            go instead?
            """,
        up=("chloe", "arjun", "wanjiru"),
        answers=(
            A(
                "chloe",
                2,
                """
                Yes, it's the label. Every drive serial creates a new time
                series for every metric, and serials never repeat, so the
                number of series only grows. Prometheus keeps the active
                series in memory.

                ```promql
                # which metrics carry the most series
                topk(10, count by (__name__)({__name__=~".+"}))
                ```

                Keep aggregate metrics per bench and test step in
                Prometheus, and write the per-drive measurements to the
                test database (or a Parquet file per day), where one row
                per drive is cheap. We can add a dashboard panel that links
                from a bench to its drives.
                """,
                experience="Observability engineer; I run our Prometheus "
                "and Mimir setup",
                up=("ravi", "arjun", "wanjiru", "ines"),
                worked=("wanjiru",),
                accepted=True,
            ),
            A(
                "arjun",
                6,
                """
                And once you have removed the label, delete the old series
                explicitly through the admin API; otherwise the memory only
                comes back when retention expires. Ping me and I'll do it
                with you on the shared instance.
                """,
                experience="Staff SRE; cleaned up two cardinality "
                "explosions last year",
                up=("ravi", "chloe"),
            ),
        ),
    ),
    Talk(
        "How do you rotate database passwords without redeploying every "
        "service?",
        "wanjiru",
        days=16,
        tags=("PostgreSQL", "Kubernetes", "security"),
        body="""
            Our research services read their Postgres password from a
            Kubernetes secret that we set at deploy time. Security asked us
            to rotate passwords every 90 days, and today that means
            redeploying nine services in the right order. How do other
            teams rotate without a deploy?
            """,
        up=("rui", "miguel"),
        answers=(
            A(
                "rui",
                20,
                """
                Use two roles per service and swap between them: while
                `svc_blue` is active, set a new password on `svc_green`,
                update the secret, and let the pods pick it up on their
                next connection. Mount the secret as a file, not an
                environment variable, so it changes without a restart. When
                nothing uses `svc_blue` any more, lock it until the next
                rotation.

                The platform's Vault integration does exactly this if you'd
                rather not script it.
                """,
                experience="Database reliability engineer; rotated the "
                "credentials for the MES fleet",
                up=("wanjiru", "miguel", "ethan"),
            ),
        ),
    ),
    Talk(
        "Kubernetes 1.29 upgrade: anyone hit the removed flowcontrol API?",
        "arjun",
        days=140,
        tags=("Kubernetes",),
        body="""
            We are preparing the 1.29 upgrade for the staging clusters. The
            `flowcontrol.apiserver.k8s.io/v1beta2` API is removed in 1.29,
            and our pre-upgrade check found two Helm charts that still use
            it. Has anyone upgraded a cluster with third-party charts like
            that, and did anything else break that the check missed?
            """,
        up=("ines", "ethan", "miguel", "chloe"),
        answers=(
            A(
                "ethan",
                5,
                """
                We hit it with an old ingress controller chart. Upgrading
                the chart fixed the manifests, but the old objects stayed
                in the release history and Helm refused to upgrade the
                release afterwards. `helm mapkubeapis` rewrote the stored
                release to the new API version and the upgrade went
                through.

                The check also missed a CronJob that used a deprecated
                field in its pod template: it still ran, but the field was
                silently ignored. Read the changelog for deprecated
                *fields*, not only APIs.
                """,
                experience="Upgraded our CI clusters from 1.26 to 1.29",
                up=("arjun", "ines", "miguel", "chloe", "rui"),
                worked=("miguel",),
                accepted=True,
            ),
            A(
                "miguel",
                30,
                """
                We ran `pluto detect-helm` as well as the built-in check;
                it found one more chart in the monitoring namespace. Worth
                running once before you start.
                """,
                experience="Ran the 1.28 upgrade on two clusters",
                up=("arjun", "ethan"),
            ),
        ),
    ),
    Talk(
        "Should we move CI from GitLab to GitHub Actions?",
        "sam",
        days=12,
        tags=("CI/CD", "RFC"),
        body="""
            I'm new here, in the developer experience team. At my previous
            company we moved from GitLab CI to GitHub Actions, and build
            times dropped by half thanks to larger hosted runners and a
            better cache. Is this something the platform team would
            consider? I'm happy to do the comparison.
            """,
        up=("ethan",),
        comments=(
            R("arjun", "Closing this so the discussion happens on the RFC. "
              "Sam, the template is in the repertoire; ping me if you want "
              "a reviewer.", 10),
        ),
        closed="Platform tool choices go through an RFC at the monthly "
        "architecture forum. Sam is writing one; let's discuss it there.",
        answers=(
            A(
                "ethan",
                6,
                """
                Welcome, Sam! Build times here are mostly about our
                runners, not the CI product (see the disk fix last month).
                If you'd like to compare, the architecture forum is the
                place: write a short RFC with the numbers from two or three
                of our real pipelines, and we'll review it at the next
                forum.
                """,
                experience="Own the shared GitLab runners; 9 years of CI/CD",
                up=("sam", "arjun"),
            ),
        ),
    ),
    Talk(
        "Terraform: one state per environment, or workspaces?",
        "sam",
        days=3,
        tags=("Terraform",),
        body="""
            I'm setting up Terraform for the developer portal: dev, staging
            and prod, the same resources with different sizes. The docs
            make workspaces look like the obvious choice, but I've read
            several posts saying not to use them for environments. What
            does the platform team recommend, and is there an example
            repository I can copy?
            """,
        up=("miguel",),
        asks=(("ines", "Maintains the Terraform modules"),),
    ),
    Talk(
        "Alert fatigue: 140 pages last month, 9 of them actionable",
        "miguel",
        days=64,
        tags=("observability", "on-call"),
        body="""
            I went through last month's pages for the data platform: 140
            pages, of which 9 needed a human to do something. The rest
            resolved themselves within ten minutes or were duplicates.
            People on the rota are tired and have started muting the
            channel.

            Where would you start: deleting alerts, adding delays, or
            rewriting them around SLOs?
            """,
        up=("chloe", "arjun", "ethan", "ines", "rui", "elena"),
        answers=(
            A(
                "chloe",
                4,
                """
                Start by deleting, with a rule everyone agrees on first:
                **a page must need a human within 30 minutes, or it isn't a
                page**. Go through the 131 and sort each one into delete,
                ticket, or keep. Most of ours were "disk 80 %" and "pod
                restarted", which became tickets.

                Then rewrite what is left around symptoms users see (error
                rate, latency against the SLO, burn rate), not causes.
                Delays are a last resort: they make real incidents slower
                too.
                """,
                experience="Observability engineer; cut the portal's pages "
                "from 90 to 12 a month",
                up=("miguel", "arjun", "ethan", "ines", "rui"),
                worked=("ethan", "rui"),
            ),
            A(
                "ines",
                26,
                """
                Make it a standing item: the on-call person ends their week
                by proposing one alert to delete or fix, and the Monday
                review decides. It kept us from sliding back.
                """,
                experience="Head of Platform Engineering; ran the alert "
                "review for the portal team",
                up=("miguel", "chloe"),
            ),
        ),
    ),
)  # fmt: skip

SUPPORT: tuple[Talk, ...] = (
    Talk(
        "Customer is shouting because their line is down: what do you say "
        "in the first minute?",
        "lina",
        days=88,
        tags=("de-escalation",),
        body="""
            Yesterday a maintenance manager called about a drive fault that
            had stopped his packaging line, and he was shouting before I
            could say my name. I went straight into troubleshooting
            questions, which made it worse. We fixed it in 40 minutes, but
            the first five were awful.

            What do you actually say in the first minute, before any
            troubleshooting?
            """,
        up=("fatima", "hiroshi", "joao", "megan", "ananya"),
        answers=(
            A(
                "fatima",
                3,
                """
                The first minute is not about the fault; it's about showing
                him that the person on the phone is now on his side. What I
                say, almost word for word:

                1. "I'm Fatima, and I'll stay with you until the line runs
                   again."
                2. "Tell me what you're seeing." Then let him talk without
                   interrupting, and write down his words, not your
                   interpretation.
                3. Repeat the one thing that matters to him: "So line 3 has
                   been down since six and you have a shipment at noon."
                4. Only then: "Let's get it running. First question..."

                Troubleshooting questions in the first minute sound as if
                you're checking whether it's his fault. After step 3 they
                sound like help.
                """,
                experience="10 years on the support desk; I train every "
                "new support engineer in de-escalation",
                up=("lina", "hiroshi", "joao", "megan", "ananya", "brian"),
                worked=("joao", "ananya"),
                accepted=True,
                comments=(
                    R("lina", "Tried it this morning, with the same "
                      "customer: calmer within a minute. Step 3 did it.",
                      24 * 5),
                ),
            ),
            A(
                "hiroshi",
                16,
                """
                One addition from Japan, where customers rarely shout but go
                very quiet: say the time out loud. "It's 10:15 now; I'll
                call you back at 10:45 with the result, even if we're still
                testing." A promised time calms people more than any
                apology.
                """,
                experience="Ran the APAC escalation desk for 7 years",
                up=("lina", "fatima", "joao"),
            ),
            A(
                "zanele",
                24 * 74,
                """
                From the other end of the phone (I used to be the engineer
                on the customer's line): what helped most was when support
                said what they would do next and when, even if it was just
                "I'm checking the fault log now, give me two minutes".
                """,
                experience="Took support calls during line trials at my "
                "previous job",
                up=("lina",),
            ),
        ),
    ),
    Talk(
        "Macros vs. personal replies: where do you draw the line?",
        "megan",
        days=42,
        kind=DISCUSSION,
        tags=("macros", "KCS"),
        body="""
            We have 240 macros in the ticket system, and a survey comment
            last month said our answers "read like a vending machine". At
            the same time, macros are why our first response comes within
            the hour.

            Where do you draw the line between a macro and a personal
            reply? I'd like to turn what we agree on into a short
            guideline.
            """,
        up=("fatima", "joao", "ananya", "hiroshi", "lina"),
        comments=(
            R("megan", "Thanks, all. Draft guideline: a person writes the "
              "first and last sentence; macros are reviewed yearly; a "
              "complaint is never answered with a macro first. Comments "
              "welcome until Friday.", 24 * 6),
        ),
        answers=(
            A(
                "joao",
                5,
                """
                My rule: a macro may write the *facts*, a person writes the
                first and the last sentence. The first sentence shows I
                read their ticket ("the F-3107 on your palletiser after the
                firmware update"), the last one says what happens next. The
                middle can be the same for everyone.
                """,
                experience="Support engineer; I maintain the Lisbon team's "
                "macros",
                up=("megan", "fatima", "lina", "ananya", "hiroshi"),
            ),
            A(
                "ananya",
                20,
                """
                We should delete half of the 240. I checked: 131 of them
                were used fewer than five times last year, and several
                contradict each other on the same fault. Fewer, better
                macros would help more than any guideline.
                """,
                experience="Technical support specialist; 9 years of field "
                "service tickets",
                up=("megan", "joao", "hiroshi"),
            ),
            A(
                "hiroshi",
                30,
                """
                For Japanese customers we never send a macro as the first
                reply to a complaint, only to requests for information. The
                first reply to a complaint is written by a person, even if
                it is three sentences.
                """,
                experience="Customer Support Manager for APAC",
                up=("megan", "fatima"),
            ),
            A(
                "lina",
                46,
                """
                Could we add a "last reviewed" date to each macro? When I
                find a wrong macro I fix it, but I can never tell which
                others are stale.
                """,
                experience="Support engineer; I rewrote the encoder fault "
                "macros",
                up=("megan", "joao"),
            ),
        ),
    ),
    Talk(
        "P1 breached its SLA because the ticket sat in the wrong queue all "
        "weekend",
        "ananya",
        days=26,
        tags=("SLA", "escalation"),
        body="""
            A customer in Pune opened a P1 on Friday evening (line down,
            4-hour response). The portal routed it to the gearbox queue
            because they picked the wrong product, and the gearbox queue
            isn't staffed at weekends. We found it on Monday morning: 62
            hours.

            We apologised, and a local electrician had fixed the line in
            the meantime, but I want to make sure this can't happen again.
            What safety nets do other regions have for misrouted P1s?
            """,
        up=("fatima", "megan", "hiroshi", "brian"),
        answers=(
            A(
                "fatima",
                5,
                """
                Two nets, because one always fails eventually:

                - **Route on priority before product.** Any ticket opened
                  as P1 goes to the on-duty queue first, whatever product
                  was picked; the on-duty engineer re-routes it after the
                  first response.
                - **An alarm for unacknowledged P1s.** If a P1 has no first
                  response after 30 minutes, the duty manager's phone
                  rings. That's one rule in the ticket system, and it has
                  caught four misroutes this year.

                And write the customer a short account of what changed.
                They remember a missed SLA less than a fix that never came
                with an explanation.
                """,
                experience="Customer Support Team Lead; I own the EMEA SLA "
                "report",
                up=("ananya", "megan", "hiroshi", "brian", "lina"),
                worked=("hiroshi",),
                accepted=True,
            ),
            A(
                "brian",
                22,
                """
                From the gearbox side: we would love to get these faster
                too. Could the portal ask "is a line or machine stopped?"
                instead of letting customers pick P1 themselves? People
                pick P1 for everything or for nothing.
                """,
                experience="Application engineer; I get pulled into gearbox "
                "P1s",
                up=("ananya", "fatima"),
            ),
        ),
    ),
    Talk(
        "F-3107 'DC bus overvoltage' on braking: what do you ask the "
        "customer first?",
        "joao",
        days=132,
        tags=("fault codes", "troubleshooting"),
        body="""
            F-3107 is our most common ticket this quarter: the drive trips
            with DC bus overvoltage when the axis brakes. I know the usual
            causes (no braking resistor, a resistor that is too small, a
            deceleration ramp that is too steep), but customers often can't
            tell me which resistor they have. What do you ask first to get
            to the cause in one call?
            """,
        up=("megan", "lina", "ananya", "takeshi", "fatima"),
        answers=(
            A(
                "megan",
                3,
                """
                I ask for three things, in this order, because each one
                rules out a cause:

                1. **Parameter P4.12** (braking resistor type). If it says
                   "none", we're done: the resistor is missing or not
                   configured.
                2. **The deceleration time** in their program, compared
                   with the one they had when it worked. A change from 2 s
                   to 0.5 s explains it by itself.
                3. **The fault log with timestamps.** If F-3107 comes with
                   high mains voltage warnings, the bus was already high
                   before braking.

                Article KB-0412 has photos of the resistor labels, so
                customers can read the rating off the part. Send the link
                with your first reply.
                """,
                experience="Knowledge manager; wrote the F-31xx "
                "troubleshooting articles",
                up=("joao", "lina", "ananya", "takeshi", "fatima",
                    "brian"),
                worked=("lina", "ananya", "brian"),
                accepted=True,
                comments=(
                    R("joao", "Asked for P4.12 first on the last three "
                      "F-3107 tickets: two said 'none'. Solved on the first "
                      "call both times.", 24 * 3),
                ),
            ),
            A(
                "takeshi",
                26,
                """
                From the firmware side: since release 3.4 the drive logs
                the peak bus voltage and the braking power in the fault
                record. If the customer sends the fault record instead of a
                photo of the display, you can see whether the resistor was
                too small:

                ```text
                F-3107  t=18432.6s  Udc_peak=812V  P_brake=2.9kW  R=100ohm
                ```

                Anything above about 780 V with a resistor configured means
                it is undersized for that ramp.
                """,
                experience="Senior firmware engineer; I wrote the "
                "overvoltage protection",
                up=("megan", "joao", "lina", "brian"),
            ),
            A(
                "lina",
                24 * 131,
                """
                A tip for the next person: customers on firmware older than
                3.4 can still get the peak value by setting P9.02 to 1
                before reproducing the fault. It saved me a site visit last
                week.
                """,
                experience="Support engineer; 4 years of second-level drive "
                "tickets",
                up=("joao", "megan"),
            ),
        ),
    ),
    Talk(
        "How do you write a knowledge base article for an intermittent "
        "fault?",
        "joao",
        days=6,
        tags=("KB articles", "KCS"),
        body="""
            I'm capturing what we learned about the encoder dropouts that
            appear only when the cabinet is warm. The KCS article template
            (issue, environment, resolution, cause) assumes you can
            reproduce the problem, and here half the resolution is "watch
            it for a week".

            How do you structure an article for a fault that comes and
            goes, so that a customer can follow it without a support
            engineer on the phone?
            """,
        up=("megan", "ananya"),
        asks=(("lina", "Rewrote the encoder fault articles last year"),),
    ),
    Talk(
        "Handing a ticket from Tokyo to Lisbon overnight: what makes a "
        "good handover note?",
        "hiroshi",
        days=72,
        tags=("escalation",),
        body="""
            When a ticket is still open at the end of the Tokyo day, we
            hand it to Lisbon. Too often the note is "customer still has
            the problem, see history", and Lisbon spends the first hour
            re-reading 40 messages. What do you want to read when you pick
            up a ticket from another region?
            """,
        up=("fatima", "joao", "megan"),
        answers=(
            A(
                "joao",
                8,
                """
                Five lines at the top of the ticket, not in the history:

                - **Customer state**: line stopped / running with a
                  workaround / no impact
                - **What we know**: the fault, and what is ruled out
                - **What's been tried**: with the result of each
                - **Next step**: the one thing to do first
                - **Promise**: what the customer was told, and by when

                If the promise is missing, I always call the customer first,
                just to find out what they are expecting.
                """,
                experience="Support engineer in Lisbon; I pick up most of "
                "the APAC handovers",
                up=("hiroshi", "fatima", "megan", "ananya"),
                worked=("hiroshi", "ananya"),
            ),
            A(
                "fatima",
                20,
                """
                And add the customer's local time to the note. Lisbon
                calling a factory in Osaka at 3 am, because nobody wrote
                down that it was night there, happened twice last year.
                """,
                experience="Customer Support Team Lead",
                up=("hiroshi", "joao"),
            ),
        ),
    ),
    Talk(
        "Customer insists on firmware 2.8, which we withdrew: how do you "
        "say no?",
        "brian",
        days=56,
        tags=("de-escalation", "firmware"),
        body="""
            An OEM customer wants all 30 of their new drives on firmware
            2.8, because their machine was certified with it. We withdrew
            2.8 after the encoder timing bug. They're threatening to switch
            suppliers. How have you handled a "no" like this without losing
            the customer?
            """,
        up=("fatima", "takeshi", "megan"),
        answers=(
            A(
                "takeshi",
                6,
                """
                Don't lead with no; lead with what they actually need,
                which is a certified machine. Release 2.8.3 is 2.8 plus the
                encoder fix and nothing else, precisely for customers in
                this position. We can give them the change list and the
                test report, which is what their certification body will
                ask for.

                If they still want plain 2.8, that's a decision for the
                product manager, not for support, and they should hear it
                from us in writing.
                """,
                experience="Senior firmware engineer; I maintain the "
                "release notes and withdrawals",
                up=("brian", "fatima", "megan", "hiroshi"),
                worked=("hiroshi",),
                accepted=True,
            ),
            A(
                "fatima",
                10,
                """
                When it does have to be a no, I say it once, clearly, with
                the reason, and then move straight to what I *can* do.
                Customers get angrier at a "no" spread over three vague
                emails than at a clear one.
                """,
                experience="10 years on the support desk",
                up=("brian", "megan"),
            ),
        ),
    ),
    Talk(
        "What do you send a new distributor's support team in their first "
        "week?",
        "zanele",
        days=10,
        tags=("onboarding",),
        body="""
            I'm helping to onboard a new distributor for the servo drives
            in South Africa. Their support team is three people who know
            other brands well. Is there a standard first-week package, or
            does everyone put something together themselves?
            """,
        up=("hiroshi", "megan"),
        answers=(
            A(
                "hiroshi",
                9,
                """
                There is no official package yet, but this is what worked
                for our last four distributors:

                - day 1: a call where they show us how *they* troubleshoot
                  a drive from another brand, so you learn what to explain
                  and what to skip,
                - the ten most-read knowledge base articles and the fault
                  code list,
                - a demo drive and a braking resistor on their bench by
                  day 3,
                - one shared ticket a day for the first two weeks, solved
                  together.

                I'd be happy to turn this into a repertoire entry with you.
                """,
                experience="Onboarded 11 distributor partners across APAC",
                up=("zanele", "megan", "fatima"),
                comments=(
                    R("zanele", "Yes please! I'll draft it this week and "
                      "send it to you.", 2),
                ),
            ),
            A(
                "megan",
                30,
                """
                Give them a partner portal account on day 1, not after the
                contract paperwork. Most of what they need is already in
                the knowledge base.
                """,
                experience="Knowledge manager; I run the partner portal "
                "content",
                up=("zanele",),
            ),
        ),
    ),
    Talk(
        "Tagging root causes on tickets so they can be analysed later: how "
        "do you do it?",
        "lina",
        days=2,
        tags=("KCS",),
        body="""
            I'd like to see which drive faults are becoming more common
            before customers tell us, but our tickets only have a free-text
            resolution field. Has anyone set up root cause categories on
            tickets that people actually fill in consistently? How many
            categories, and who maintains the list?
            """,
        up=("megan",),
    ),
)  # fmt: skip

ML: tuple[Talk, ...] = (
    Talk(
        "Next papers: time-series foundation models or classic anomaly "
        "detection?",
        "mei-lin",
        days=58,
        kind=DISCUSSION,
        tags=("papers", "anomaly detection", "time series"),
        body="""
            We have four slots before the summer break. Proposals so far:

            1. *A decoder-only foundation model for time-series
               forecasting* (TimesFM)
            2. *Deep learning for anomaly detection: a review* (Pang et
               al.)
            3. *Isolation Forest* (Liu, Ting and Zhou), the original paper
            4. *Chronos: learning the language of time series*

            I'm tempted to pair a classic with a new one each month. Which
            would you pick, and is there anything we should read instead?
            """,
        up=("ravi", "aiko", "wanjiru", "lina", "priya", "stefan"),
        comments=(
            R("mei-lin", "Decided: Isolation Forest and the review in June, "
              "TimesFM and Chronos in July, and Priya's comparison as a "
              "short extra. Thank you all!", 24 * 7),
        ),
        answers=(
            A(
                "ravi",
                4,
                """
                Pair Isolation Forest with the anomaly detection review.
                Most of what our test benches need is unsupervised anomaly
                detection, and Isolation Forest is still the baseline
                everyone should beat. TimesFM and Chronos together would
                make a good "do foundation models help with drive
                telemetry?" session the month after.
                """,
                experience="Data scientist; 14 years of time-series "
                "forecasting",
                up=("mei-lin", "wanjiru", "priya", "lina"),
            ),
            A(
                "wanjiru",
                10,
                """
                +1 to Ravi's pairing. For the foundation model session,
                could someone run TimesFM zero-shot on one month of bench
                data before we meet? Discussing a paper is more fun with
                our own numbers on the screen.
                """,
                experience="Research scientist; signal processing for 13 "
                "years",
                up=("mei-lin", "ravi", "aiko"),
            ),
            A(
                "lina",
                26,
                """
                From a non-researcher: the review would help me most. I'd
                like to know which methods could work on ticket counts per
                fault code, which are small, noisy and weekly.
                """,
                experience="Support engineer; I watch ticket volumes over "
                "time",
                up=("mei-lin", "ravi"),
            ),
            A(
                "priya",
                30,
                """
                I'd love a session that compares these methods with plain
                control charts. For a lot of our data a well set-up chart
                is hard to beat, and I'd like to know when it isn't.
                """,
                experience="Incoming inspection engineer; SPC on supplier "
                "data",
                up=("mei-lin", "ravi", "wanjiru"),
            ),
        ),
    ),
    Talk(
        "Predictive maintenance model had 0.97 AUC in validation and "
        "failed on the new line: leakage?",
        "isabel",
        days=98,
        tags=("evaluation", "time series", "machine learning"),
        body="""
            We trained a classifier to predict bearing failures from
            vibration features, on 18 months of data from lines 1 to 4 in
            Stuttgart. Random 80/20 split, 0.97 AUC on the test set. On
            line 5, which started in January, it flags almost nothing,
            including two bearings that failed.

            I suspect something leaked, but I don't know where to look.
            Where would you start?
            """,
        up=("wanjiru", "ravi", "mei-lin", "aiko", "felix", "stefan"),
        answers=(
            A(
                "wanjiru",
                3,
                """
                The random split is the leak. Measurements from the same
                bearing, minutes apart, ended up in both train and test, so
                the model learned to recognise *bearings*, not failures.
                The test set was full of near-copies of the training data.

                Split so that the test set looks like the future:

                ```python
                from sklearn.model_selection import GroupKFold

                # one group per machine: no machine in both train and test
                cv = GroupKFold(n_splits=4)
                for train, test in cv.split(X, y, groups=machine_ids):
                    ...
                ```

                Better still, hold out a whole line and the most recent
                months. Expect the AUC to drop to something like 0.75; that
                is your real number, and it is still useful.
                """,
                experience="Built failure-prediction models on drive "
                "telemetry for 12 years",
                up=("isabel", "ravi", "mei-lin", "aiko", "felix", "stefan",
                    "priya"),
                worked=("ravi", "stefan"),
                accepted=True,
                comments=(
                    R("isabel", "Grouped by machine: AUC 0.78, and it "
                      "catches both line 5 failures in a replay. Thank "
                      "you!", 24 * 4),
                ),
            ),
            A(
                "ravi",
                8,
                """
                Also check the features: if any were normalised with
                statistics from the whole data set (mean and standard
                deviation over all 18 months), that leaks the future into
                the past too. Fit the scaler on the training fold only; a
                scikit-learn `Pipeline` does that for you.
                """,
                experience="Data scientist; ran the first predictive "
                "maintenance pilot",
                up=("isabel", "wanjiru", "mei-lin"),
            ),
        ),
    ),
    Talk(
        "Same part photographed from two angles: is it leakage if the "
        "photos land in train and test?",
        "priya",
        days=44,
        tags=("computer vision", "evaluation"),
        body="""
            I'm trying a small defect classifier on our incoming inspection
            photos (scratches and dents on machined housings). Each part is
            photographed from two angles, and I split the 3,200 photos
            randomly into train and test. Accuracy is 96 %, which seems too
            good for such a small data set.

            Is that leakage, and how should I split photos of the same
            part?
            """,
        up=("aiko", "mei-lin", "ravi", "lina"),
        answers=(
            A(
                "aiko",
                5,
                """
                Yes, it's leakage, and 96 % is the symptom. Two photos of
                the same part share the defect, the lighting and often the
                background, so the model gets the answer from the other
                photo. Split by **part**, not by photo: all photos of a
                part go to the same side. And watch out for augmentation
                done before the split; it creates twins too.

                With 1,600 parts I would use 5-fold cross-validation
                grouped by part, so every part is in a test fold once and
                you see how much the score varies.
                """,
                experience="Built the gear-tooth inspection model; 10 years "
                "of computer vision",
                up=("priya", "mei-lin", "ravi", "lina", "stefan"),
                worked=("stefan",),
                accepted=True,
                comments=(
                    R("priya", "Grouped by part: 84 %, and much more "
                      "honest. Thank you, Aiko!", 24 * 2),
                ),
            ),
            A(
                "mei-lin",
                20,
                """
                When you report the new number, give the number of parts,
                not photos, and a confidence interval. With a few hundred
                defective parts the interval will be wide, and that is
                useful to know before anyone plans a line around it.
                """,
                experience="Principal research scientist; computer vision "
                "and experiment design",
                up=("priya", "aiko"),
            ),
        ),
    ),
    Talk(
        "Python library for control charts on streaming sensor data?",
        "kofi",
        days=13,
        tags=("Python", "anomaly detection"),
        body="""
            For my predictive maintenance project I'd like to run simple
            control charts (EWMA and CUSUM) on vibration features as they
            arrive, before trying anything fancier. I found a few Python
            packages, but most look unmaintained or expect a complete
            DataFrame.

            Does anyone have a library they trust for streaming data, or is
            it simpler to write the twenty lines myself?
            """,
        up=("wanjiru", "ravi"),
        asks=(("priya", "Runs SPC on inspection data and writes Python"),),
    ),
    Talk(
        "Did the new lubrication interval reduce failures? We can't run an "
        "A/B test",
        "stefan",
        days=76,
        tags=("causal inference", "evaluation"),
        body="""
            Last year we changed the lubrication interval for gearbox
            bearings on all Stuttgart lines at once. Failures dropped from
            11 to 6 per quarter. The plant wants to roll it out everywhere,
            but in the same period we also changed the bearing supplier
            and had a mild winter.

            Without a control group, how would you estimate what the
            interval change did?
            """,
        up=("wanjiru", "felix", "mei-lin", "ravi"),
        answers=(
            A(
                "wanjiru",
                6,
                """
                You do have a control group, just not a planned one: the
                other plants, which kept the old interval but (check this)
                got the new bearing supplier at about the same time. A
                difference-in-differences comparison of failures per
                machine-hour, Stuttgart against the others, before and
                after the change, separates the interval from the supplier,
                as long as the plants were on similar trends before.

                Plot the trends first. If they weren't parallel before the
                change, tell us and we'll look at synthetic control
                instead.
                """,
                experience="Research scientist; 7 years of causal inference "
                "on field data",
                up=("stefan", "felix", "mei-lin", "ravi"),
                worked=("felix",),
                accepted=True,
            ),
            A(
                "felix",
                30,
                """
                And account for the mild winter honestly: add the outside
                temperature as a covariate, or compare quarter by quarter
                with the year before. Six against eleven failures is also a
                small number; a confidence interval will keep the plant's
                expectations realistic.
                """,
                experience="Head of Research; ran field studies on drive "
                "reliability",
                up=("stefan", "wanjiru"),
            ),
        ),
    ),
    Talk(
        "Paper notes: why do tree-based models still beat deep learning on "
        "tabular data?",
        "wanjiru",
        days=148,
        kind=DISCUSSION,
        tags=("papers", "machine learning"),
        body="""
            Notes from Friday's session on Grinsztajn, Oyallon and
            Varoquaux (2022).

            **What?** On 45 tabular data sets, gradient-boosted trees beat
            neural networks, mostly because tabular targets are irregular
            and many features are uninformative.

            **So what?** Most of our data (test bench results, quality
            records) is tabular. We should start with boosted trees and
            treat deep learning as the thing that has to justify itself.

            **Now what?** Ravi will rerun the end-of-line test model with
            LightGBM as a baseline. Comments and disagreements welcome.
            """,
        up=("ravi", "mei-lin", "aiko", "felix", "rui"),
        answers=(
            A(
                "ravi",
                24 * 9,
                """
                Done: LightGBM with default settings is within 0.4 points
                of our neural network on the end-of-line data, trains in 40
                seconds instead of 20 minutes, and its feature importances
                make sense to the test engineers. We're switching.
                """,
                experience="Data scientist; owner of the end-of-line test "
                "model",
                up=("wanjiru", "mei-lin", "felix", "rui"),
            ),
            A(
                "rui",
                24 * 10,
                """
                Good news from the data platform side too: the tree models
                are small enough to run inside the export job, so we can
                give back the GPU node we reserved for this.
                """,
                experience="Database reliability engineer; I run the data "
                "platform behind the test data",
                up=("ravi", "wanjiru"),
            ),
        ),
    ),
    Talk(
        "How big a gap between the training and test windows for "
        "time-series validation?",
        "kasia",
        days=5,
        tags=("time series", "evaluation"),
        body="""
            I'm validating a forecasting model for daily energy use per
            plant with rolling-origin validation: train on everything up
            to day t, test on the next 14 days. A colleague says I need a
            gap between train and test because of the 7-day rolling
            features. How big should the gap be, and is there a rule for
            it?
            """,
        up=("ravi",),
        answers=(
            A(
                "vikram",
                20,
                """
                I think the gap should be at least as long as the longest
                window in your features, so 7 days here: otherwise the last
                training rows and the first test rows share days in their
                rolling averages. I'm not sure there's a formal rule,
                though.
                """,
                experience="Platform engineer; I used rolling windows for "
                "capacity forecasts",
                up=("kasia",),
            ),
        ),
    ),
    Talk(
        "Labelling 4,000 gear images with a small team: has anyone used "
        "Label Studio?",
        "felix",
        days=118,
        tags=("computer vision", "labelling"),
        body="""
            The gear-tooth inspection project needs about 4,000 labelled
            images (pitting, scuffing, chipped teeth, fine), and we have
            three people for two weeks. Has anyone used Label Studio or a
            similar tool with a team that small? I'm mostly worried about
            consistent labels between people.
            """,
        up=("aiko", "mei-lin", "ravi"),
        answers=(
            A(
                "aiko",
                4,
                """
                We used Label Studio for the first inspection project; it's
                fine for classes and boxes. The tool matters less than the
                protocol:

                - write a one-page guide with two example photos per class,
                  including the borderline ones,
                - have all three people label the same 200 images first and
                  compare; where they disagree, fix the guide, not the
                  people,
                - after that, put 5 % overlap into every batch and track
                  agreement.

                Our agreement went from 0.61 to 0.85 between the first and
                the second round just by fixing the guide.
                """,
                experience="Computer vision research engineer; labelled "
                "20,000 inspection images with small teams",
                up=("felix", "mei-lin", "ravi", "wanjiru"),
                worked=("mei-lin",),
            ),
            A(
                "divya",
                24 * 60,
                """
                If you go with Label Studio, the platform team runs a
                hosted instance with single sign-on: ask in the platform
                channel for a project instead of running it on a laptop. It
                also backs up the labels, which one team learned the hard
                way.
                """,
                experience="Cloud infrastructure engineer; I host the "
                "research tools",
                up=("felix",),
            ),
        ),
    ),
)  # fmt: skip

NEW_HIRES: tuple[Talk, ...] = (
    Talk(
        "How do travel expenses work for a site visit to São Paulo?",
        "zanele",
        days=30,
        tags=("travel", "expenses"),
        body="""
            I'm flying to São Paulo next month for two weeks at the
            gearbox plant. Do I book flights and the hotel myself, is there
            a per diem or do I keep every receipt, and how do I get the
            money back? My manager said "ask the lounge", so here I am.
            """,
        up=("ana", "lucas", "sofia", "priscila"),
        answers=(
            A(
                "gabriela",
                3,
                """
                Welcome! The short version:

                1. **Book through the travel portal** (Intranet, then
                   Travel). Flights and the hotel are paid directly by the
                   company, and the portal knows the hotels near the plant
                   with our rate.
                2. **Meals are a per diem** in Brazil, so no meal receipts.
                   Keep the receipts for taxis and anything else.
                3. **Submit the expense report** in the same portal within
                   30 days of coming back. It's paid with the next salary.

                Take an app taxi from the airport rather than a street
                taxi, and tell me when you're here: the canteen on
                Thursdays is worth planning for.
                """,
                experience="Travel between São Paulo and the other plants "
                "twice a year",
                up=("zanele", "sofia", "ana", "lucas", "priscila",
                    "stefan"),
                worked=("lucas", "priscila"),
                accepted=True,
                comments=(
                    R("zanele", "Thank you both, booked!", 30),
                ),
            ),
            A(
                "ana",
                28,
                """
                From the finance side: put the project code in the report's
                header, not on each line. Reports without it go back to the
                traveller, and that's the most common reason for a late
                payment.
                """,
                experience="FP&A analyst; I see the expense reports on the "
                "finance side",
                up=("zanele", "gabriela"),
            ),
        ),
    ),
    Talk(
        "Where do I submit my travel expenses?",
        "priscila",
        days=18,
        tags=("expenses",),
        body="""
            I'm back from my first trip to Kraków with a pile of receipts.
            Where do I submit them, and is there a deadline?
            """,
        duplicate_of="How do travel expenses work for a site visit to São "
        "Paulo?",
        answers=(
            A(
                "sofia",
                2,
                """
                In the travel portal (Intranet, then Travel, then Expense
                reports), within 30 days of your return. Gabriela's answer
                to the São Paulo question explains the whole process, so
                I'm merging this question into that one.
                """,
                experience="Onboarding programme lead",
                up=("priscila",),
            ),
        ),
    ),
    Talk(
        "What do all the acronyms mean? OEE, PPAP, 8D, SMED...",
        "jonas",
        days=11,
        tags=("acronyms",),
        body="""
            Two weeks in, and my notebook is full of acronyms I nod along
            to. Is there a list somewhere? The ones I heard most this week:
            OEE, PPAP, 8D, SMED, FMEA, KCS and CoP.
            """,
        up=("aisha", "kofi", "lucas", "sofia"),
        answers=(
            A(
                "tomasz",
                4,
                """
                Here are the ones from your list:

                | Acronym | Means | You'll hear it |
                | --- | --- | --- |
                | OEE | Overall equipment effectiveness | at line boards |
                | PPAP | Production part approval process | with suppliers |
                | 8D | Eight disciplines problem solving | after complaints |
                | SMED | Single-minute exchange of die | at changeovers |
                | FMEA | Failure mode and effects analysis | in design |
                | KCS | Knowledge-Centered Service | in support |
                | CoP | Community of practice | here! |

                The glossary in the repertoire has about 200 more.
                """,
                experience="Quality technician in Kraków; I explain these "
                "to every new colleague",
                up=("jonas", "sofia", "aisha", "kofi", "lucas", "matthias"),
                worked=("aisha", "kofi"),
                accepted=True,
            ),
            A(
                "diego",
                30,
                """
                One warning: "PM" means preventive maintenance on the shop
                floor and product manager in the office. When in doubt,
                ask; everybody does.
                """,
                experience="Commissioning engineer; 13 years of acronyms",
                up=("jonas", "tomasz", "zanele"),
            ),
        ),
    ),
    Talk(
        "Laptop has no admin rights: how do I install Python packages?",
        "sam",
        days=4,
        tags=("IT setup",),
        body="""
            My laptop arrived set up, which is great, but without admin
            rights. I need Python 3.12 and a few packages for the developer
            portal. IT says admin rights take two weeks to approve. Is
            there a way to work in the meantime?
            """,
        up=("kofi", "lucas"),
        answers=(
            A(
                "ethan",
                3,
                """
                You don't need admin rights for any of it:

                ```shell
                # Python and virtual environments, all in your home folder
                uv python install 3.12
                uv venv --python 3.12
                uv pip install -r requirements.txt
                ```

                `uv` is in the software centre (no approval needed), and it
                uses our internal package mirror once you're on the VPN.
                """,
                experience="Senior platform engineer; I maintain the "
                "developer laptop setup",
                up=("sam", "kofi", "lucas"),
                worked=("kofi", "lucas"),
                accepted=True,
            ),
            A(
                "kofi",
                20,
                """
                I did the same in my first week and it worked. If the
                mirror times out, check that the VPN is connected; that was
                my problem for a whole afternoon.
                """,
                up=("sam",),
            ),
        ),
    ),
    Talk(
        "Is there a buddy programme, and how do I get a buddy?",
        "aisha",
        days=15,
        tags=("first weeks",),
        body="""
            I'm the only person from my team in Nairobi, and most of my
            colleagues are in Lisbon and São Paulo. Someone mentioned a
            buddy programme. How does it work, and can my buddy be at
            another site?
            """,
        up=("sofia", "ana"),
        answers=(
            A(
                "sofia",
                2,
                """
                Yes, and yes! Every new hire gets a buddy for their first
                90 days: someone outside your reporting line who answers
                the "silly" questions. For remote starters we pick someone
                in a nearby time zone who has worked with your team. I've
                asked Fatima in Lisbon, who works with customer success a
                lot; you'll get an invitation for a first coffee this week.
                """,
                experience="Onboarding programme lead; I match the buddies",
                up=("aisha", "matthias", "ana"),
                accepted=True,
                comments=(
                    R("aisha", "Had coffee with Fatima today. Thank you!",
                      24 * 3),
                ),
            ),
            A(
                "matthias",
                6,
                """
                And if you and your buddy don't click, tell Sofia: changing
                buddies is normal, and nobody is offended.
                """,
                experience="Learning & development specialist",
                up=("aisha",),
            ),
        ),
    ),
    Talk(
        "Introduce yourself: who else started this quarter?",
        "sofia",
        days=40,
        kind=DISCUSSION,
        tags=("first weeks",),
        body="""
            A new quarter, a new group of colleagues. Say hello below: your
            name, where you work and what you do, and one thing people
            wouldn't guess about you. I'll start: I run onboarding from
            Lisbon, and I once spent a summer as a lighthouse guide.
            """,
        up=("lucas", "kofi", "gabriela", "oliver"),
        answers=(
            A(
                "lucas",
                5,
                """
                Lucas, machine learning engineer in Research, Lisbon. I'll
                be deploying the predictive maintenance models. Not
                guessable: I've played the accordion for 15 years.
                """,
                up=("sofia", "kofi"),
            ),
            A(
                "kofi",
                9,
                """
                Kofi, PhD intern in predictive maintenance, in Stuttgart
                for the next six months. I'm from Kumasi and still can't
                get used to the winter here.
                """,
                up=("sofia", "lucas"),
            ),
            A(
                "ana",
                100,
                """
                Ana, FP&A analyst in Lisbon. I'll be the one asking you for
                numbers. Unguessable fact: I was a national junior champion
                in table tennis.
                """,
                up=("sofia", "lucas"),
            ),
            A(
                "aisha",
                24 * 23,
                """
                Aisha, customer success manager in Nairobi, the first
                person from our company here. Looking forward to meeting
                you all online; I make a very good chai if you ever visit.
                """,
                up=("sofia", "ana"),
            ),
            A(
                "jonas",
                24 * 28,
                """
                Jonas, production technician on the servo drive assembly
                line in Stuttgart, second shift. If you see a 1970s camper
                van in the car park, it's mine, and it probably needs a
                push.
                """,
                up=("sofia", "aisha", "kofi"),
            ),
        ),
    ),
    Talk(
        "Which canteen in Stuttgart is still open for the second shift?",
        "jonas",
        days=9,
        tags=("sites",),
        body="""
            My shift starts at 14:00 and the main canteen in Building 3
            closes at 14:30, so I never make it. Is there anywhere on site
            to get a warm meal in the evening, ideally vegetarian?
            """,
        up=("kofi", "zanele"),
        answers=(
            A(
                "stefan",
                3,
                """
                The small canteen in Building 7 (ground floor, next to the
                test labs) serves hot food from 17:30 to 20:00 for the
                second shift, with a vegetarian dish every day. Your badge
                works there too. On Fridays it closes at 19:00.
                """,
                experience="Twelve years at the Stuttgart site",
                up=("jonas", "kofi", "zanele", "naomi"),
                worked=("kofi",),
                accepted=True,
            ),
            A(
                "naomi",
                5,
                """
                And the vending machines on the ground floor of Building 3
                have decent soup. Not a meal, but better than nothing on a
                busy night.
                """,
                experience="Product owner in Stuttgart",
                up=("jonas",),
            ),
        ),
    ),
    Talk(
        "How do I book a desk in the Lisbon office?",
        "lucas",
        days=27,
        tags=("sites", "IT setup"),
        body="""
            I work in the Lisbon office three days a week. Colleagues say
            you need to book a desk, but I can't find where. Is there an
            app, and can I book the same desk every week?
            """,
        up=("ana",),
        answers=(
            A(
                "sofia",
                2,
                """
                Use the Workplace app (in the software centre, or the web
                version on the intranet). Floors 2 and 3 can be booked up
                to four weeks ahead, and recurring bookings are allowed for
                up to three days a week. Your team sits on the east side of
                floor 3.
                """,
                experience="Onboarding programme lead in Lisbon",
                up=("lucas", "ana"),
                worked=("ana",),
            ),
        ),
    ),
    Talk(
        "Remote from Nairobi: how do I take part in the onboarding day in "
        "Stuttgart?",
        "aisha",
        days=7,
        tags=("travel", "first weeks"),
        body="""
            The onboarding day for my cohort is in Stuttgart next month.
            Travelling from Nairobi for one day is a lot (and needs a
            visa). Is there a remote option, or should I plan the trip
            together with something else?
            """,
        up=("sofia", "zanele"),
        answers=(
            A(
                "oliver",
                10,
                """
                The morning (welcome, strategy, questions to the leadership
                team) is streamed, and you can ask questions in the chat.
                The afternoon site tour isn't, but we record a short video
                tour every quarter.
                """,
                experience="Internal communications; I run the onboarding "
                "day streams",
                up=("aisha", "sofia"),
            ),
            A(
                "matthias",
                26,
                """
                If you travel anyway this year, the autumn onboarding day
                is in Lisbon, right before the customer success offsite.
                Many remote starters combine the two; I'd wait for that
                one.
                """,
                experience="Learning & development specialist",
                up=("aisha",),
            ),
        ),
    ),
    Talk(
        "Can I join a community of practice before my internship has "
        "given me much practice?",
        "kofi",
        days=2,
        tags=("communities",),
        body="""
            I'd like to join Safety & Quality, but it asks for a practice
            statement. I'm a PhD intern, so my practice is mostly from
            university. Is that enough, or should I wait until I've done
            more here?
            """,
        up=("lucas",),
    ),
    Talk(
        "Installing sensors on the Stuttgart test benches: which safety "
        "training and do I need my own padlock?",
        "lucas",
        days=1,
        tags=("shop floor safety", "first weeks"),
        body="""
            Next week I'm installing vibration sensors on two test benches
            in the Stuttgart plant for the predictive maintenance models.
            I've only ever worked in offices and labs. What safety training
            do I need before I'm allowed near the benches, and do I need my
            own padlock to lock them out, or does someone from maintenance
            do that for me?
            """,
        up=("kofi", "sofia"),
    ),
)  # fmt: skip

IMPROVEMENT: tuple[Talk, ...] = (
    Talk(
        "Value-stream map across both product lines: where do you draw "
        "the boundary?",
        "andrzej",
        days=92,
        tags=("value stream",),
        body="""
            Servo drives and gearboxes are sold together more and more
            often (as a geared motor package), but each product line has
            mapped only its own value stream. I'd like to map the package
            from order to shipment. The two lines share goods-in, the paint
            shop and shipping, and nothing else.

            Do we map one stream with two branches, or two maps with a
            shared section? And who should be in the room?
            """,
        up=("tyrone", "larissa", "stefan", "hannah", "rafael"),
        answers=(
            A(
                "tyrone",
                6,
                """
                One map, from the customer's order to the package leaving
                the dock, because that's what the customer waits for. Draw
                the two lines as parallel branches that merge where the
                package is assembled. The shared paint shop is where it
                gets interesting: I'd bet that's your longest wait, because
                each line plans it as if the other didn't exist.

                In the room: one person who *does* the work from each
                branch, the paint shop planner, and someone from order
                entry. Keep the managers for the future-state session.
                """,
                experience="Mapped 11 value streams in Chicago over 9 years",
                up=("andrzej", "larissa", "stefan", "hannah", "rafael",
                    "beatriz"),
                worked=("rafael",),
                accepted=True,
                comments=(
                    R("andrzej", "You were right: 9 of the 23 days of lead "
                      "time are waiting for the paint shop. The "
                      "future-state session is booked.", 24 * 30),
                ),
            ),
            A(
                "stefan",
                28,
                """
                Count Hannah and me in for the walk from the servo drive
                side. And please map the information flow too: package
                orders arrive as two separate orders in two ERP plants
                today, and I suspect that costs more than the paint shop.
                """,
                experience="Product line manager for servo drives",
                up=("andrzej", "tyrone", "larissa"),
            ),
        ),
    ),
    Talk(
        "SMED on the gear hobbing cell stalled at 34 minutes: what next?",
        "rafael",
        days=54,
        tags=("SMED",),
        body="""
            We took the changeover on hobbing cell 2 in São Paulo from 52
            to 34 minutes in two kaizen rounds: pre-staged tools, a
            changeover cart, standard work. The target is 20. The remaining
            time is mostly hob alignment (about 14 minutes) and the
            first-piece check (8 minutes, with the part going to the
            measuring room).

            What did you do when the easy internal-to-external conversions
            were used up?
            """,
        up=("beatriz", "larissa", "tyrone", "luana", "yuki", "hannah"),
        comments=(
            R("ricardo", "Happy to price the downtime. Send me the cell's "
              "changeovers per week and I'll have a number by Friday.", 30),
        ),
        answers=(
            A(
                "beatriz",
                5,
                """
                At that point it's engineering, not organisation:

                - **Hob alignment**: on the grinding cells we fitted
                  quick-change arbors with a fixed reference face, and
                  alignment went from 12 minutes to 3. It needs a small
                  investment, so ask Ricardo to price the downtime first.
                - **First-piece check**: move it to the machine. A simple
                  gauge for the two characteristics that actually change
                  with the hob lets the operator check at the cell; the
                  full measurement runs in parallel while production
                  starts.

                That should take you to about 22 minutes.
                """,
                experience="Maintenance planner; led the SMED rounds on the "
                "grinding cells",
                up=("rafael", "larissa", "tyrone", "luana", "yuki",
                    "ricardo"),
                worked=("luana", "yuki"),
                accepted=True,
            ),
            A(
                "luana",
                26,
                """
                Before buying anything, film three changeovers and watch
                the alignment part together with the operators. On cell 4,
                half of the "alignment" time was looking for the dial
                indicator.
                """,
                experience="Process technician; I run changeovers on the "
                "São Paulo gear cells",
                up=("rafael", "beatriz", "larissa"),
            ),
            A(
                "yuki",
                30,
                """
                On the first-piece check: agree the at-machine gauge with
                quality before you build it, so that it is accepted as the
                release check. We built ours first and spent a month getting
                it approved.
                """,
                experience="Quality engineer; SMED on the Tokyo gear line",
                up=("rafael", "beatriz"),
            ),
        ),
    ),
    Talk(
        "Kaizen week in Kraków: which theme should we pick?",
        "larissa",
        days=31,
        kind=DISCUSSION,
        tags=("kaizen",),
        body="""
            Next quarter's kaizen week is at the Kraków plant. The core
            team shortlisted three themes:

            1. Material supply to gearbox assembly (kanban for bought-in
               parts)
            2. Changeover on the housing machining line
            3. The rework loop after the end-of-line leak test

            Which one would teach both product lines the most? Vote with a
            reply, and say why.
            """,
        up=("stefan", "tomasz", "andrzej", "piotr", "hannah"),
        comments=(
            R("larissa", "Decision: the rework loop after the leak test. "
              "Piotr, would you lead the kanban theme next quarter?",
              24 * 5),
            R("piotr", "Yes, count me in.", 24 * 5 + 3),
        ),
        answers=(
            A(
                "tomasz",
                3,
                """
                Number 3. The rework loop is invisible on the KPIs because
                reworked units count as good, but it ties up two people per
                shift. And the servo drives have the same kind of loop
                after the hi-pot test.
                """,
                experience="Quality technician in Kraków; I run the leak "
                "test",
                up=("larissa", "andrzej", "hannah"),
            ),
            A(
                "andrzej",
                8,
                """
                Also 3, and I'd bring design into the week: a third of the
                leaks come from one housing joint that could be designed
                differently.
                """,
                experience="Gearbox quality engineer in Kraków",
                up=("larissa", "tomasz"),
            ),
            A(
                "piotr",
                20,
                """
                I'd argue for 1. Assembly stops for missing parts several
                times a shift, and a kanban loop is something the servo
                line could copy directly.
                """,
                experience="Automation engineer in Kraków",
                up=("stefan", "larissa"),
            ),
            A(
                "stefan",
                30,
                """
                Piotr is right that 1 is the easiest to copy, but 3 is
                where we learn something new. My vote is 3, with 1 as next
                quarter's theme.
                """,
                experience="Product line manager for servo drives",
                up=("larissa", "tomasz", "hannah", "piotr"),
            ),
        ),
    ),
    Talk(
        "How do we count savings that avoid a cost instead of reducing "
        "one?",
        "hannah",
        days=68,
        tags=("savings", "A3"),
        body="""
            Our A3 on the servo drive test bench removed the need for a
            third bench that was in next year's budget (about 180,000
            euros). Nothing in this year's costs went down, so Finance
            doesn't count it as a saving. Is cost avoidance ever counted,
            and how do you document it so that it holds up?
            """,
        up=("larissa", "ricardo", "stefan", "tyrone"),
        answers=(
            A(
                "ricardo",
                6,
                """
                We count it, but separately. **Hard savings** reduce a cost
                that is in the actuals; **cost avoidance** removes a cost
                that was approved (a budget line, a signed capex request)
                or contractually certain. An idea that was only discussed
                doesn't count.

                For your bench, document three things in the A3's results
                box: the approved capex line (number and amount), the
                capacity calculation that shows it's no longer needed, and
                the date Finance released the budget. Send it to me and
                I'll record 180 k of avoidance for this year.
                """,
                experience="Cost accountant; I validated over 40 "
                "improvement savings",
                up=("hannah", "larissa", "stefan", "tyrone", "amara"),
                worked=("larissa",),
                accepted=True,
            ),
            A(
                "larissa",
                24,
                """
                In the half-year report we show both, in separate columns.
                Managers care more about the avoidance column than you'd
                think, as long as it's honest.
                """,
                experience="Continuous improvement engineer; I compile the "
                "network's half-year report",
                up=("hannah", "ricardo"),
            ),
        ),
    ),
    Talk(
        "Kanban loop for connectors runs empty every Monday morning",
        "jamal",
        days=21,
        tags=("kanban",),
        body="""
            We introduced a two-bin kanban for connectors on the servo
            drive pre-assembly in Chicago. It works all week except on
            Monday mornings, when three or four bins are empty and the line
            waits for the milk run. The loop was sized on average daily
            use.
            """,
        up=("larissa", "beatriz", "tyrone"),
        answers=(
            A(
                "larissa",
                4,
                """
                Sized on the average, it will run empty whenever demand
                isn't average, and Monday isn't: there is no milk run at
                the weekend, and the late shift on Friday pulls extra to
                finish the week. Two things to check:

                - Size the loop on a **replenishment time that includes the
                  weekend**, or add a milk run on Friday afternoon.
                - Check whether Monday's first hour builds a different mix.
                  Ours started each week with the big frame sizes, which
                  use twice the connectors.

                Count the empty bins at 6:00 on three Mondays before you
                change anything.
                """,
                experience="Set up more than 30 kanban loops in São Paulo "
                "over 11 years",
                up=("jamal", "beatriz", "tyrone", "stefan"),
                worked=("beatriz",),
            ),
            A(
                "beatriz",
                24,
                """
                Same story with our spare parts kanban: the cause was the
                weekend. We added one bin per loop for the critical parts,
                and the Monday gap disappeared.
                """,
                experience="Maintenance planner; I run the spare parts "
                "kanban in São Paulo",
                up=("jamal", "larissa"),
            ),
        ),
    ),
    Talk(
        "A3 reviews: how much detail belongs in the current-state box?",
        "piotr",
        days=12,
        tags=("A3",),
        body="""
            I wrote my first A3 for the network, on robot downtime in the
            welding cell. In the review I was told the current-state box
            was "too detailed": I had the full downtime log, a Pareto and a
            fishbone. What should be in it, and where does the rest go?
            """,
        up=("hannah",),
        answers=(
            A(
                "hannah",
                26,
                """
                The current state should let a reader who has never seen
                the cell understand the problem in a minute: one picture of
                the process, one number that shows the gap (downtime per
                week against the target) and the Pareto. The fishbone
                belongs in the root cause box, and the log in an appendix
                or a link.

                If the reviewer has to ask "so what's the problem?", it's
                too little; if they start reading the log, it's too much.
                """,
                experience="Production planner; I have written and reviewed "
                "A3s for 7 years",
                up=("piotr", "larissa", "stefan"),
            ),
        ),
    ),
    Talk(
        "Line balancing after adding a safety test station to servo drive "
        "final assembly",
        "stefan",
        days=5,
        tags=("line balancing", "lean"),
        body="""
            From next month every servo drive gets a functional safety test
            (STO and SLS checks) at the end of final assembly: about 95
            seconds per drive. The line runs at a takt of 70 seconds with
            six stations. We can't make the test faster, so we either split
            it across two testers or rebalance the whole line.

            Has anyone rebalanced a line around a station that is longer
            than takt? What did you do with the operators' standard work
            while it settled?
            """,
        up=("tyrone", "hannah", "larissa"),
        asks=(("tyrone", "Value stream mapping and line design in "
               "Chicago"),),
    ),
    Talk(
        "Has anyone measured the real cycle-time gain from a cobot "
        "screwdriving station?",
        "dieter",
        days=36,
        tags=("cobots", "lean"),
        body="""
            The supplier promises that a cobot screwdriving station on
            gearbox cover assembly will save 25 % of the cycle time. Before
            we ask for the budget: has anyone measured what a cobot
            actually saved on a real line, including the time operators
            spend helping it?
            """,
        up=("tyrone", "andrzej"),
        answers=(
            A(
                "tyrone",
                20,
                """
                We measured ours after six months: 12 % of cycle time, not
                the 25 % in the offer. The cobot was fast, but the operator
                waited for it twice per cycle, and the screw feeder jammed
                about once an hour. The real gain was ergonomics: no more
                overhead screwdriving, which the safety team valued more
                than the seconds.

                Run a time study on the current station first; the offer
                assumes manual times from the supplier's stopwatch, not
                yours.
                """,
                experience="Manufacturing engineer; introduced two cobots "
                "in Chicago",
                up=("dieter", "andrzej", "larissa"),
            ),
        ),
    ),
)  # fmt: skip

REMOTE: tuple[Talk, ...] = (
    Talk(
        "Shift handover across time zones: Chicago nights to Kraków "
        "mornings",
        "marcus",
        days=78,
        tags=("shift handover", "time zones"),
        body="""
            Our Chicago night shift ends at 6:00 Central, which is 13:00 in
            Kraków, and the Kraków team supports the same product family.
            Right now the handover is an email that nobody in Kraków reads
            until the next morning. How do you hand over between sites when
            there's no overlap with the people who were actually on shift?
            """,
        up=("piotr", "diego", "kenji", "carlos", "tyrone"),
        answers=(
            A(
                "piotr",
                5,
                """
                We stopped using email. What works for us:

                - the night shift fills in a **handover page per line** in
                  the shared shift log: state of the line, open faults,
                  what was changed, what to watch, each in one line,
                - the Kraków afternoon lead reads it at 13:30 as part of
                  their own handover and replies on the page with
                  questions,
                - once a week, a 15-minute video call at 7:00 Central /
                  14:00 Kraków, so people know each other's faces.

                The weekly call matters more than the template. People
                read notes from someone they know.
                """,
                experience="Shift lead for handovers between Kraków and "
                "Chicago for 7 years",
                up=("marcus", "diego", "kenji", "carlos", "tyrone",
                    "tomasz"),
                worked=("tyrone", "carlos"),
                accepted=True,
            ),
            A(
                "diego",
                30,
                """
                Write the note for someone who wasn't there: "changed P2.14
                from 40 to 35 on drive 3 because of overshoot, watch for
                F-2310" instead of "adjusted drive 3". And photograph the
                fault display; it saves a page of text.
                """,
                experience="Commissioning engineer; 13 years of handovers "
                "across sites",
                up=("marcus", "piotr"),
            ),
            A(
                "daniel",
                24 * 70,
                """
                Support has the same problem between Kraków and Toronto. We
                added a "what I'd do next" line at the end of each
                handover, and the receiving engineer either does it or
                writes why not. It made the notes much more concrete.
                """,
                experience="Escalation engineer; wrote the handover "
                "template for the Kraków support desk",
                up=("marcus", "piotr"),
            ),
        ),
    ),
    Talk(
        "Commissioning a drive remotely when the customer site has no VPN",
        "carlos",
        days=64,
        tags=("remote commissioning", "remote access"),
        body="""
            A customer in Manaus needs 12 drives commissioned next week.
            Their IT won't allow a VPN or any remote-access tool on the
            plant network, and the nearest technician is a four-hour flight
            away. Has anyone commissioned drives remotely with only a phone
            and a local electrician?
            """,
        up=("diego", "marcus", "kenji", "sakura"),
        answers=(
            A(
                "diego",
                4,
                """
                Yes, several times. It works if you prepare more than you'd
                think:

                1. Send the **parameter files** in advance, one per axis,
                   named by the axis label on the cabinet. The electrician
                   loads them from a USB stick through the drive's keypad.
                2. Book a **video call on a phone** with a chest mount, so
                   the electrician has both hands free and you see what
                   they see.
                3. Do one axis together, step by step. The electrician does
                   the next one while you watch, and the rest alone with a
                   checklist.
                4. Ask for the **drive's trace file** after each axis, by
                   email. You can check the tuning from it afterwards.

                Plan two days for 12 drives, not one.
                """,
                experience="Commissioning engineer; commissioned drives "
                "remotely at more than 40 customer sites",
                up=("carlos", "marcus", "kenji", "sakura", "piotr"),
                worked=("kenji", "marcus"),
                accepted=True,
            ),
            A(
                "sakura",
                20,
                """
                For step 1, use the `.dpar` export with checksums, not the
                CSV. If a value gets mangled on the way (spreadsheets love
                to turn 1.10 into 1.1), the drive refuses the file instead
                of running with the wrong value.
                """,
                experience="Firmware engineer; I built the USB parameter "
                "import",
                up=("diego", "carlos"),
            ),
        ),
    ),
    Talk(
        "Critical spares for a site where customs take six weeks",
        "aisha",
        days=8,
        tags=("spare parts",),
        body="""
            Our first customer in Kenya runs 40 servo drives and 16
            gearboxes on a bottling line. Importing a replacement drive
            takes up to six weeks through customs, so we need spares in
            the country. Which parts would you keep locally, and how many,
            for a site like this? Is there a method, or is it experience?
            """,
        up=("kenji", "carlos"),
        asks=(("mateus", "Plans spare parts for the São Paulo "
               "suppliers"),),
    ),
    Talk(
        "Drive trips with F-2310 encoder error, only on the night shift",
        "kenji",
        days=41,
        tags=("servo drives",),
        body="""
            Two drives on the Tokyo winding line trip with F-2310 (encoder
            signal lost) three or four times a week, always between 1:00
            and 4:00. The day shift never sees it. We've swapped one
            encoder cable, with no change. What would you check next?
            """,
        up=("carlos", "diego", "piotr", "megan"),
        answers=(
            A(
                "carlos",
                6,
                """
                A fault that only happens at night usually has a cause that
                only runs at night. Two I've seen:

                - **Temperature**: the hall cools down, the cable contracts
                  and an intermittent contact in the connector opens. Check
                  the connector on the drive side, not only the cable.
                - **Something switching at night**: a cleaning machine,
                  heating, a big compressor on a timer. If the encoder
                  cable runs next to a power cable, that's your noise.
                  Compare the fault times with the building's timers.

                In Tokyo I'd bet on the second: look at the floor heating.
                """,
                experience="Field service coordinator; 9 years of servo "
                "drive diagnostics",
                up=("kenji", "diego", "piotr", "megan", "marcus"),
                worked=("piotr", "diego"),
                accepted=True,
                comments=(
                    R("kenji", "It was the floor heating: its contactor "
                      "sits in the same cable tray. We rerouted the encoder "
                      "cables last night, and no trips since.", 24 * 6),
                ),
            ),
            A(
                "megan",
                26,
                """
                The knowledge base article KB-0398 has a shielding checklist
                for F-2310. Point 4 (shield clamped at both ends, on bare
                metal) is the one most often wrong.
                """,
                experience="Knowledge manager; wrote the encoder fault "
                "articles",
                up=("kenji", "carlos"),
            ),
        ),
    ),
    Talk(
        "Follow-the-sun call: should we drop the 07:00 UTC slot?",
        "diego",
        days=24,
        kind=DISCUSSION,
        tags=("time zones",),
        body="""
            Attendance at our monthly call over the last six months: 14
            people on average at 16:00 UTC, 4 at 07:00 UTC. Running both
            slots takes a lot of Kenji's time and mine. Should we drop the
            early one and record the late one? Colleagues in Tokyo and
            Bengaluru especially: what would you lose?
            """,
        up=("kenji", "marcus", "carlos", "tomasz"),
        comments=(
            R("diego", "Thanks, all. From next month we alternate the "
              "slots, and each slot's questions are posted for the "
              "other.", 24 * 3),
        ),
        answers=(
            A(
                "kenji",
                6,
                """
                The four people at 07:00 are mostly from Tokyo, and 16:00
                UTC is 1:00 here. A recording helps, but we lose the chance
                to ask. Could we keep the early slot every second month
                instead?
                """,
                experience="Production supervisor in Tokyo",
                up=("diego", "tomasz", "carlos"),
            ),
            A(
                "tomasz",
                10,
                """
                I'd keep it too: for Kraków the 07:00 slot is 9:00, the
                only time the shift leads can join. Maybe it's a
                communication problem, not a time problem?
                """,
                experience="Quality technician in Kraków",
                up=("kenji",),
            ),
            A(
                "marcus",
                14,
                """
                Chicago can only ever do the late one. If we alternate,
                please post the agenda a week ahead so we can send
                questions to the other slot.
                """,
                experience="Maintenance supervisor in Chicago",
                up=("diego",),
            ),
        ),
    ),
    Talk(
        "PLC program backups at remote sites: who keeps the master copy?",
        "tyrone",
        days=108,
        tags=("PLC",),
        body="""
            At two customer sites we found the PLC running a program that
            nobody had a copy of: a local integrator had made changes after
            commissioning. We want a rule for where the master copy of each
            program lives, and how changes made on site get back into it.
            What do you do?
            """,
        up=("piotr", "marcus", "diego", "carlos"),
        answers=(
            A(
                "piotr",
                7,
                """
                We keep the master in version control (one repository per
                machine), and a nightly job compares the program in each
                reachable PLC with the last commit. A difference raises a
                ticket, not an alarm: someone asks the site what changed
                and commits it with a note.

                For sites we can't reach, commissioning isn't closed until
                the final program is committed, and every service visit
                ends with an upload and a commit. It's the last line of the
                technician's checklist.
                """,
                experience="Automation engineer; maintain the PLC programs "
                "for 60 machines in Kraków",
                up=("tyrone", "marcus", "diego", "carlos"),
                worked=("marcus",),
            ),
            A(
                "marcus",
                30,
                """
                And protect the PLC with a password the integrator has to
                ask for. It doesn't stop changes, but it starts a
                conversation.
                """,
                experience="Maintenance supervisor; 7 years of PLC "
                "maintenance",
                up=("tyrone", "piotr"),
            ),
        ),
    ),
    Talk(
        "Preventive maintenance plan for a site with one technician",
        "beatriz",
        days=17,
        tags=("preventive maintenance",),
        body="""
            A new customer site in the interior of São Paulo state has one
            maintenance technician for 30 machines, including ours. The
            manufacturer PM plans add up to about 1.5 technician-days a
            week for our drives and gearboxes alone. How do you cut a PM
            plan down to what one person can really do, without losing the
            parts that matter?
            """,
        up=("kenji", "diego", "mateus"),
        answers=(
            A(
                "kenji",
                10,
                """
                Rank the tasks by what happens if you skip them, not by the
                interval in the manual. For drives, the fan and the filter
                mats matter (heat kills drives); checking terminal torque
                every quarter matters much less after the first year. For
                gearboxes: oil level and leaks on every visit, oil changes
                by operating hours.

                That cut our list for similar drives by about half.
                """,
                experience="Production supervisor; I run PM for the Tokyo "
                "winding lines",
                up=("beatriz", "diego", "mateus"),
            ),
            A(
                "magdalena",
                24 * 8,
                """
                From the design side: the gearbox oil-change interval in
                the manual assumes 40 °C oil. If the site runs cooler than
                that, we can usually extend it; send me the operating
                temperature and I'll check.
                """,
                experience="Mechanical design engineer; I design the "
                "gearbox housings",
                up=("beatriz", "kenji"),
            ),
        ),
    ),
    Talk(
        "What do you carry in your field kit for commissioning at remote "
        "sites?",
        "brian",
        days=46,
        tags=("remote commissioning",),
        body="""
            I'm going to more customer sites this year, some with no spare
            parts or internet within a day's drive. What's in your field
            kit besides the laptop and the commissioning cable? I'd rather
            learn from your lists than from a wasted trip.
            """,
        up=("diego", "carlos", "marcus"),
        answers=(
            A(
                "carlos",
                5,
                """
                My list, after 9 years of forgetting things:

                - a USB-to-serial adapter and a spare commissioning cable
                - the drive firmware for the last three releases, offline
                - a printed parameter list and fault code list
                - a clamp meter and a small oscilloscope for encoder
                  signals
                - a spare fan and a set of fuses for the drive sizes on
                  site
                - a power bank, a head torch, and snacks

                The firmware matters most: the site never has the version
                you need.
                """,
                experience="Field service coordinator; I pack the kits for "
                "the São Paulo technicians",
                up=("brian", "diego", "marcus", "kenji"),
                worked=("marcus", "diego"),
                accepted=True,
            ),
            A(
                "nathan",
                24 * 12,
                """
                Not a technician, but from the product side: take the
                gearbox nameplate decoder card. Half the calls I get from
                the field are about reading the ratio and the oil type off
                an old nameplate.
                """,
                experience="Technical product manager for gearboxes",
                up=("brian",),
            ),
        ),
    ),
)  # fmt: skip

LEADERSHIP: tuple[Talk, ...] = (
    Talk(
        "Delegating budget decisions to team leads: how much rope?",
        "felix",
        days=102,
        tags=("delegation", "budgets"),
        body="""
            Research has grown from 8 to 26 people, and every purchase over
            500 euros still comes to me. I'm the bottleneck, and the team
            leads are frustrated. I'd like to delegate budget decisions,
            but the last time I tried, one team spent half its annual
            travel budget in February. How did you decide what to delegate,
            and how do you keep an eye on it without taking it back?
            """,
        up=("helena", "ines", "rachel", "stefan"),
        answers=(
            A(
                "helena",
                5,
                """
                Delegate the budget, not the approvals: give each lead an
                annual budget per category with a simple rule (up to 5,000
                euros per item without asking), and look at it together
                every month for 15 minutes. The monthly look is what
                prevents February surprises; it isn't control, it's a
                habit.

                The travel case wasn't a delegation failure, by the way:
                nobody had told the lead the budget was for the whole year.
                Say the obvious things.
                """,
                experience="Finance director; set up delegated budgets for "
                "14 cost centres",
                up=("felix", "ines", "rachel", "stefan", "katrin"),
                worked=("ines",),
                accepted=True,
            ),
            A(
                "ines",
                22,
                """
                What helped me: I delegated one category first (training
                and conferences) for one quarter, and we talked about how
                it went before I added hardware. By the third quarter I'd
                forgotten I used to approve it.
                """,
                experience="Head of Platform Engineering; delegated budgets "
                "to 4 team leads",
                up=("felix", "helena"),
            ),
        ),
    ),
    Talk(
        "1:1s with 14 direct reports: weekly is impossible, what works?",
        "katrin",
        days=60,
        tags=("one-on-ones", "delegation"),
        body="""
            Since the reorganisation I have 14 direct reports: shift
            managers, engineering leads and the planning team. Weekly
            30-minute 1:1s would take seven hours a week, which I don't
            have. Dropping them altogether felt wrong within a month. What
            rhythm works for a span this wide?
            """,
        up=("rachel", "paulo", "stefan", "grace"),
        answers=(
            A(
                "rachel",
                4,
                """
                Fourteen is too many for one rhythm, so don't use one:

                - **Fortnightly, 30 minutes** for the people who are new in
                  their role or going through a difficult stretch (usually
                  three or four).
                - **Monthly, 45 minutes** for everyone else, with their
                  agenda, not yours.
                - **A standing 15-minute slot** twice a week that anyone
                  can book.

                And look hard at whether 14 is right: two or three of them
                could report to one of the others, which is also a
                development step for that person.
                """,
                experience="Chief People Officer; coached more than 30 "
                "plant and function leaders",
                up=("katrin", "paulo", "grace", "ines", "helena"),
                worked=("grace",),
                accepted=True,
            ),
            A(
                "paulo",
                20,
                """
                I do walking 1:1s on the shop floor with the shift
                managers. Twenty minutes at their line tell me more than an
                hour in my office, and they don't have to leave their
                shift.
                """,
                experience="Product line manager; 11 direct reports",
                up=("katrin", "rachel", "stefan"),
            ),
            A(
                "ines",
                30,
                """
                I keep a shared document per person with a running agenda.
                Either of us adds points during the month, so the 1:1
                starts where it matters and nothing gets lost between
                meetings.
                """,
                experience="Head of Platform Engineering",
                up=("katrin",),
            ),
        ),
    ),
    Talk(
        "Sponsoring a community of practice without smothering it",
        "rachel",
        days=36,
        kind=DISCUSSION,
        tags=("communities",),
        body="""
            Each of us sponsors at least one community of practice. Since
            the last offsite I keep asking myself where sponsoring ends and
            steering begins. When I asked the New Hires Lounge for a
            quarterly report, the coordinators spent two evenings on
            slides.

            What do you give your community, and what do you deliberately
            not ask for?
            """,
        up=("stefan", "grace", "ines", "felix", "helena"),
        answers=(
            A(
                "stefan",
                8,
                """
                I give time, mine and the members' (two hours a month is in
                their objectives), and I remove obstacles when they ask. I
                don't ask for reports; I go to one session a quarter and
                listen. What they learn shows up in my product line's
                numbers anyway.
                """,
                experience="Sponsor of the Process Improvement Network for "
                "2 years",
                up=("rachel", "grace", "ines", "helena"),
            ),
            A(
                "grace",
                20,
                """
                The one thing I ask for is a story: once a quarter, one
                example of something the community changed, told by a
                member. Two paragraphs, no slides. It's what I retell
                upstairs.
                """,
                experience="Sponsor of the safety network in North America",
                up=("rachel", "stefan", "felix"),
            ),
            A(
                "ines",
                30,
                """
                I learned to stay out of their discussions. When I post,
                people agree with me; when I don't, they argue with each
                other, which is better.
                """,
                experience="Sponsor of the Platform Engineering Practice",
                up=("rachel", "stefan", "grace", "felix"),
            ),
            A(
                "felix",
                48,
                """
                A small experiment budget per quarter has worked well for
                us: the reading group picks one paper to try on our data,
                and I pay for the compute. It turns reading into value
                without a report.
                """,
                experience="Sponsor of the ML Reading Group",
                up=("rachel", "ines"),
            ),
        ),
    ),
    Talk(
        "Telling a high performer they won't be promoted this year",
        "paulo",
        days=19,
        tags=("feedback",),
        body="""
            One of my best application engineers expects to become team
            lead this year. She's excellent with customers, but the role
            needs things she hasn't shown yet (planning, difficult
            conversations within the team), and we don't have an opening
            anyway. I have the conversation next week. How do you say no
            without losing her?
            """,
        up=("rachel", "katrin", "grace"),
        answers=(
            A(
                "rachel",
                6,
                """
                Separate the two messages, because they need different
                answers: "there is no opening" is a fact she can't
                influence; "you're not ready yet" is feedback she can act
                on. If you mix them, she'll only hear the first.

                For the second, be specific and offer a way to show it:
                could she plan the next distributor training, or lead the
                team's retrospective? Agree a date to look at it together.
                And say clearly what you value in her now.
                """,
                experience="Chief People Officer; 11 years of promotion "
                "rounds",
                up=("paulo", "katrin", "grace"),
            ),
            A(
                "katrin",
                26,
                """
                Ask her first what she thinks the role needs. People often
                see the gap themselves, and then the conversation is about
                how to close it, not about your judgement.
                """,
                experience="Plant manager; promoted 6 people to team lead",
                up=("paulo", "rachel"),
            ),
        ),
    ),
    Talk(
        "Hiring freeze, but two critical roles: how did you make the case?",
        "grace",
        days=6,
        tags=("hiring", "budgets"),
        body="""
            The hiring freeze for North America includes two roles I
            consider critical: a metrology technician (we have one, who
            retires in March) and a supplier quality engineer for the new
            castings supplier. I need to make the case to the regional
            leadership team. What arguments worked for you, and what made
            it worse?
            """,
        up=("katrin", "helena"),
        asks=(("helena", "Knows what the leadership team asks for"),),
    ),
    Talk(
        "Restructuring of Product Line B: what can we tell our teams?",
        "paulo",
        days=138,
        kind=DISCUSSION,
        tags=("change",),
        body="""
            Rumours about the Product Line B restructuring have reached the
            shop floor in Kraków and São Paulo, and people ask their
            managers about it every day. The works council consultation
            hasn't started, so we can't say much. What have you told your
            teams in a similar situation that was honest without breaking
            the process?
            """,
        up=("rachel", "stefan", "helena", "katrin"),
        locked="Locked until the works council consultation ends. We "
        "continue this at the offsite, with HR in the room.",
        answers=(
            A(
                "stefan",
                5,
                """
                Say what you know, what you don't, and when you'll know
                more: "There are plans, the works council will be consulted
                first, and I'll tell you what I can on the day the
                consultation starts." People can live with not knowing;
                they can't live with being lied to.
                """,
                experience="Led the Product Line A reorganisation in 2021",
                up=("paulo", "rachel", "helena", "katrin"),
            ),
            A(
                "helena",
                20,
                """
                Please don't share numbers, not even rough ones. In the
                last restructuring, a headcount range mentioned in a team
                meeting became the number everyone remembered, and it was
                wrong.
                """,
                experience="Finance director; three restructurings",
                up=("paulo", "rachel"),
            ),
        ),
    ),
)  # fmt: skip

CONVERSATIONS: dict[str, tuple[Talk, ...]] = {
    "safety-quality": SAFETY,
    "platform-practice": PLATFORM,
    "support-craft": SUPPORT,
    "ml-reading-group": ML,
    "new-hires": NEW_HIRES,
    "process-improvement": IMPROVEMENT,
    "remote-site-ops": REMOTE,
    "leadership-circle": LEADERSHIP,
}
