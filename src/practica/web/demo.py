"""The demo organisation behind ``practica demo``: plain data and a builder.

A maker of servo drives (Product Line A) and gearboxes (Product Line B) with
plants and offices on four continents. :func:`plan` turns the data below into
who joins what, who knows what and who vouches for whom, with one seeded
random generator, so every run plans the same organisation. The questions
and discussions in every community, with their answers, comments, votes and
moderation, are plain data in :mod:`practica.web.demo_conversations`;
each community's repertoire (best practices, stories, templates,
checklists and glossary terms, with their revisions, verifications and
"this helped me" marks) in :mod:`practica.web.demo_repertoire`.
:func:`build` then writes it all through the services (so the activity
record and the counters are right), skipping whatever is already there:
running it again adds nothing.
"""

import random
import textwrap
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, NamedTuple, TypeVar

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Case, Count, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.text import slugify
from rich import box
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
)
from rich.table import Table

from practica import access
from practica.accounts import services as accounts
from practica.accounts.models import (
    Department,
    Endorsement,
    Expertise,
    Skill,
    User,
)
from practica.communities import services as communities
from practica.communities.models import (
    Community,
    Invitation,
    Kind,
    Membership,
    Policy,
    Role,
    Status,
    Visibility,
)
from practica.conversations import services as conversations
from practica.conversations.models import (
    AskRequest,
    Comment,
    Conversation,
    Flag,
    FlagState,
    Reply,
    Revision,
    State,
    Tag,
    Vote,
    Worked,
)
from practica.conversations.models import Kind as Topic
from practica.core.models import Activity
from practica.repertoire import services as repertoire
from practica.repertoire.models import (
    DUE_SOON,
    Artifact,
    ArtifactRevision,
    Helped,
)
from practica.repertoire.models import Kind as Shelf
from practica.web.demo_conversations import (
    CONVERSATIONS,
    TAGS,
    Answer,
    Remark,
    TagData,
    Talk,
)
from practica.web.demo_repertoire import (
    ARCHIVED,
    DRAFT,
    PUBLISHED,
    REPERTOIRE,
    Edit,
    Piece,
)

PASSWORD = "practica-demo"  # noqa: S105 - the published demo password
DOMAIN = "practica.example"
ADMIN_EMAIL = f"admin@{DOMAIN}"
SEED = 1729

T = TypeVar("T")

# --- The organisation ----------------------------------------------------

DEPARTMENTS: tuple[tuple[str, str], ...] = (
    ("manufacturing", "Manufacturing"),
    ("quality", "Quality"),
    ("platform-engineering", "Platform Engineering"),
    ("customer-support", "Customer Support"),
    ("research", "Research"),
    ("people-culture", "People & Culture"),
    ("product-line-a", "Product Line A"),
    ("product-line-b", "Product Line B"),
    ("finance", "Finance"),
)
DEPARTMENT_NAMES = dict(DEPARTMENTS)


class Site(NamedTuple):
    city: str
    location: str
    time_zone: str
    hours: str


SITES: dict[str, Site] = {
    "stuttgart": Site(
        "Stuttgart", "Stuttgart, Germany", "Europe/Berlin", "7:30 to 16:30 CET"
    ),
    "chicago": Site(
        "Chicago", "Chicago, USA", "America/Chicago", "8 am to 5 pm Central"
    ),
    "bengaluru": Site(
        "Bengaluru", "Bengaluru, India", "Asia/Kolkata", "10:00 to 19:00 IST"
    ),
    "lisbon": Site(
        "Lisbon", "Lisbon, Portugal", "Europe/Lisbon", "9:00 to 18:00 WET"
    ),
    "saopaulo": Site(
        "São Paulo",
        "São Paulo, Brazil",
        "America/Sao_Paulo",
        "8:00 to 17:00 BRT",
    ),
    "tokyo": Site("Tokyo", "Tokyo, Japan", "Asia/Tokyo", "9:00 to 18:00 JST"),
    "krakow": Site(
        "Kraków", "Kraków, Poland", "Europe/Warsaw", "8:00 to 16:00 CET"
    ),
    "toronto": Site(
        "Toronto", "Toronto, Canada", "America/Toronto", "9 am to 5 pm Eastern"
    ),
    "nairobi": Site(
        "Nairobi", "Nairobi, Kenya", "Africa/Nairobi", "8:00 to 17:00 EAT"
    ),
}


class Person(NamedTuple):
    name: str
    pronouns: str
    department: str
    title: str
    site: str

    @property
    def key(self) -> str:
        """The first name as a slug: the handle the data below uses."""
        return slugify(self.name.split()[0])

    @property
    def email(self) -> str:
        return f"{self.key}@{DOMAIN}"


P = Person
PEOPLE: tuple[Person, ...] = (
    # Manufacturing
    P("Jonas Weber", "he/him", "manufacturing", "Production Technician",
      "stuttgart"),
    P("Katrin Vogel", "she/her", "manufacturing", "Plant Manager",
      "stuttgart"),
    P("Marcus Bell", "he/him", "manufacturing", "Maintenance Supervisor",
      "chicago"),
    P("Rafael Oliveira", "he/him", "manufacturing", "Production Engineer",
      "saopaulo"),
    P("Agnieszka Nowak", "she/her", "manufacturing",
      "Final Assembly Shift Lead", "krakow"),
    P("Dieter Braun", "he/him", "manufacturing",
      "Senior Maintenance Technician", "stuttgart"),
    P("Luana Ferreira", "she/her", "manufacturing", "Process Technician",
      "saopaulo"),
    P("Tyrone Jackson", "he/him", "manufacturing", "Manufacturing Engineer",
      "chicago"),
    P("Piotr Zieliński", "he/him", "manufacturing", "Automation Engineer",
      "krakow"),
    P("Emre Yılmaz", "he/him",  # noqa: RUF001 - a Turkish dotless i
      "manufacturing", "Tooling Engineer", "stuttgart"),
    P("Hannah Schulz", "she/her", "manufacturing", "Production Planner",
      "stuttgart"),
    P("Diego Ramírez", "he/him", "manufacturing", "Commissioning Engineer",
      "chicago"),
    P("Beatriz Santos", "she/her", "manufacturing", "Maintenance Planner",
      "saopaulo"),
    P("Kenji Watanabe", "he/him", "manufacturing", "Production Supervisor",
      "tokyo"),
    # Quality
    P("Amara Okafor", "she/her", "quality", "Quality Systems Lead",
      "stuttgart"),
    P("Mateus Costa", "he/him", "quality", "Supplier Quality Engineer",
      "saopaulo"),
    P("Henrik Larsen", "he/him", "quality", "Functional Safety Engineer",
      "stuttgart"),
    P("Yuki Tanaka", "she/her", "quality", "Quality Engineer", "tokyo"),
    P("Grace Mitchell", "she/her", "quality",
      "Quality Manager for North America", "chicago"),
    P("Svenja Krüger", "she/her", "quality", "Metrology Specialist",
      "stuttgart"),
    P("Olumide Adeyemi", "he/him", "quality", "Reliability Engineer",
      "chicago"),
    P("Camila Rocha", "she/her", "quality", "Quality Auditor", "saopaulo"),
    P("Tomasz Wójcik", "he/him", "quality", "Quality Technician", "krakow"),
    P("Priya Raman", "she/her", "quality", "Incoming Inspection Engineer",
      "bengaluru"),
    # Platform Engineering
    P("Inês Carvalho", "she/her", "platform-engineering",
      "Head of Platform Engineering", "lisbon"),
    P("Arjun Mehta", "he/him", "platform-engineering",
      "Staff Site Reliability Engineer", "bengaluru"),
    P("Miguel Sousa", "he/him", "platform-engineering", "Platform Engineer",
      "lisbon"),
    P("Kasia Lewandowska", "she/her", "platform-engineering",
      "DevOps Engineer", "krakow"),
    P("Ethan Brooks", "he/him", "platform-engineering",
      "Senior Platform Engineer", "toronto"),
    P("Divya Nair", "she/her", "platform-engineering",
      "Cloud Infrastructure Engineer", "bengaluru"),
    P("Rui Martins", "he/him", "platform-engineering",
      "Database Reliability Engineer", "lisbon"),
    P("Chloé Tremblay", "she/her", "platform-engineering",
      "Observability Engineer", "toronto"),
    P("Vikram Iyer", "he/him", "platform-engineering", "Platform Engineer",
      "bengaluru"),
    P("Noor Haddad", "she/her", "platform-engineering", "Security Engineer",
      "lisbon"),
    P("Sam Okonkwo", "they/them", "platform-engineering",
      "Developer Experience Engineer", "toronto"),
    # Customer Support
    P("Lina Park", "she/her", "customer-support", "Support Engineer",
      "toronto"),
    P("Fatima Zahra Benali", "she/her", "customer-support",
      "Customer Support Team Lead", "lisbon"),
    P("Carlos Mendes", "he/him", "customer-support",
      "Field Service Coordinator", "saopaulo"),
    P("Ananya Reddy", "she/her", "customer-support",
      "Technical Support Specialist", "bengaluru"),
    P("Hiroshi Sato", "he/him", "customer-support",
      "Customer Support Manager for APAC", "tokyo"),
    P("Megan O'Brien", "she/her", "customer-support", "Knowledge Manager",
      "chicago"),
    P("João Pereira", "he/him", "customer-support", "Support Engineer",
      "lisbon"),
    P("Aisha Kamau", "she/her", "customer-support",
      "Customer Success Manager", "nairobi"),
    P("Daniel Kowalski", "he/him", "customer-support", "Escalation Engineer",
      "krakow"),
    # Research
    P("Mei-Lin Chen", "she/her", "research", "Principal Research Scientist",
      "stuttgart"),
    P("Ravi Shankar", "he/him", "research", "Data Scientist", "bengaluru"),
    P("Aiko Yamamoto", "she/her", "research",
      "Computer Vision Research Engineer", "tokyo"),
    P("Wanjiru Mwangi", "she/her", "research", "Research Scientist",
      "nairobi"),
    P("Felix Hoffmann", "he/him", "research", "Head of Research",
      "stuttgart"),
    P("Lucas Fonseca", "he/him", "research", "Machine Learning Engineer",
      "lisbon"),
    P("Elena Petrova", "she/her", "research", "Applied Scientist", "krakow"),
    P("Kofi Mensah", "he/him", "research",
      "PhD Intern in Predictive Maintenance", "stuttgart"),
    # People & Culture
    P("Sofia Almeida", "she/her", "people-culture",
      "Onboarding Programme Lead", "lisbon"),
    P("Rachel Goldberg", "she/her", "people-culture", "Chief People Officer",
      "chicago"),
    P("Anjali Kapoor", "she/her", "people-culture", "HR Business Partner",
      "bengaluru"),
    P("Matthias Keller", "he/him", "people-culture",
      "Learning & Development Specialist", "stuttgart"),
    P("Gabriela Lima", "she/her", "people-culture",
      "Talent Acquisition Partner", "saopaulo"),
    P("Oliver Grant", "he/him", "people-culture",
      "Internal Communications Manager", "toronto"),
    # Product Line A: servo drives
    P("Stefan Richter", "he/him", "product-line-a",
      "Product Line Manager for Servo Drives", "stuttgart"),
    P("Naomi Fischer", "she/her", "product-line-a",
      "Servo Drive Product Owner", "stuttgart"),
    P("Jamal Carter", "he/him", "product-line-a", "Hardware Engineer",
      "chicago"),
    P("Sakura Ito", "she/her", "product-line-a", "Firmware Engineer",
      "tokyo"),
    P("Lukas Baumann", "he/him", "product-line-a", "Test Engineer",
      "stuttgart"),
    P("Isabel Navarro", "she/her", "product-line-a", "Product Engineer",
      "chicago"),
    P("Takeshi Mori", "he/him", "product-line-a", "Senior Firmware Engineer",
      "tokyo"),
    P("Zanele Dlamini", "she/her", "product-line-a",
      "Industrialisation Engineer", "stuttgart"),
    # Product Line B: gearboxes
    P("Paulo Ribeiro", "he/him", "product-line-b",
      "Product Line Manager for Gearboxes", "saopaulo"),
    P("Magdalena Kaczmarek", "she/her", "product-line-b",
      "Mechanical Design Engineer", "krakow"),
    P("Brian Sullivan", "he/him", "product-line-b", "Application Engineer",
      "chicago"),
    P("Larissa Cardoso", "she/her", "product-line-b",
      "Continuous Improvement Engineer", "saopaulo"),
    P("Jakub Mazur", "he/him", "product-line-b", "Gearbox Product Engineer",
      "krakow"),
    P("Priscila Souza", "she/her", "product-line-b", "Supply Chain Analyst",
      "saopaulo"),
    P("Andrzej Kubiak", "he/him", "product-line-b",
      "Gearbox Quality Engineer", "krakow"),
    P("Nathan Reyes", "he/him", "product-line-b",
      "Technical Product Manager", "chicago"),
    # Finance
    P("Helena Lindqvist", "she/her", "finance", "Finance Director",
      "stuttgart"),
    P("Ricardo Gomes", "he/him", "finance", "Cost Accountant", "lisbon"),
    P("Deepika Rao", "she/her", "finance", "Financial Analyst", "bengaluru"),
    P("Michael Turner", "he/him", "finance", "Plant Controller", "chicago"),
    P("Ana Lopes", "she/her", "finance", "FP&A Analyst", "lisbon"),
    P("Yusuf Demir", "he/him", "finance", "Procurement Controller",
      "stuttgart"),
    P("Claire Dubois", "she/her", "finance", "Management Accountant",
      "lisbon"),
)  # fmt: skip

# Joined the company this year: newcomers wherever they take part.
NEW_HIRES = frozenset(
    {"jonas", "kofi", "sam", "zanele", "ana", "priscila", "lucas", "aisha"}
)
# The demo sign-ins: their memberships are exactly the ones written below,
# never drawn at random, so the walk-throughs in the docs stay true.
NAMED = frozenset({"amara", "mateus", "priya", "jonas", "lina"})

SIGN_INS: tuple[tuple[str, str, str], ...] = (
    # email, name, role in Safety & Quality (the community the docs walk)
    (ADMIN_EMAIL, "Operator", "staff and superuser"),
    (f"amara@{DOMAIN}", "Amara Okafor", "coordinator"),
    (f"mateus@{DOMAIN}", "Mateus Costa", "core member"),
    (f"priya@{DOMAIN}", "Priya Raman", "member"),
    (f"jonas@{DOMAIN}", "Jonas Weber", "newcomer elsewhere; request pending"),
    (f"lina@{DOMAIN}", "Lina Park", "none yet: can ask to join"),
)

# --- Skills --------------------------------------------------------------

DEPARTMENT_SKILLS: dict[str, tuple[str, ...]] = {
    "manufacturing": (
        "Preventive maintenance", "PLC troubleshooting", "SMED changeover",
        "Production planning", "CNC machining", "Work instructions",
    ),
    "quality": (
        "Root cause analysis", "ISO 9001 auditing",
        "Statistical process control", "Supplier quality",
        "Measurement system analysis",
    ),
    "platform-engineering": (
        "Kubernetes", "Terraform", "Linux administration", "Python",
        "Observability", "Go",
    ),
    "customer-support": (
        "Technical troubleshooting", "Technical writing", "De-escalation",
        "Servo drive diagnostics",
    ),
    "research": (
        "Machine learning", "Python", "Experiment design",
        "Signal processing", "Computer vision",
    ),
    "people-culture": (
        "Coaching", "Hiring", "Facilitation", "Onboarding design",
        "Employment law",
    ),
    "product-line-a": (
        "Motor control firmware", "Embedded C", "EMC testing",
        "Requirements engineering", "Servo drive diagnostics",
    ),
    "product-line-b": (
        "Gearbox design", "Tolerance analysis", "Application engineering",
        "Requirements engineering", "Supplier quality",
    ),
    "finance": (
        "Cost accounting", "Business cases", "Budgeting",
        "Financial planning", "SAP controlling",
    ),
}  # fmt: skip

# The sign-ins' expertise, written out so their profiles tell one story:
# (skill, level 1-5, years of practice).
EXPERTISE: dict[str, tuple[tuple[str, int, int], ...]] = {
    "amara": (
        ("FMEA", 5, 14),
        ("ISO 9001 auditing", 5, 12),
        ("Root cause analysis", 4, 11),
    ),
    "henrik": (
        ("Functional safety (ISO 13849)", 5, 16),
        ("FMEA", 4, 9),
        ("Lockout/tagout", 4, 10),
    ),
    "mateus": (
        ("Supplier quality", 4, 8),
        ("8D problem solving", 4, 7),
        ("Statistical process control", 3, 5),
        ("Spare parts planning", 3, 4),
    ),
    "priya": (
        ("Statistical process control", 3, 4),
        ("Measurement system analysis", 3, 3),
        ("Python", 2, 2),
    ),
    "jonas": (
        ("Preventive maintenance", 3, 4),
        ("Lockout/tagout", 2, 4),
        ("8D problem solving", 2, 2),
    ),
    "lina": (
        ("Technical troubleshooting", 3, 4),
        ("Technical writing", 3, 5),
        ("Servo drive diagnostics", 2, 2),
        ("Machine learning", 1, 0),
    ),
}

# --- Communities ---------------------------------------------------------

CHARTER_SAFETY = """\
## Purpose

We are the people who keep our drives and gearboxes safe to build and safe
to use. We share how we run FMEAs, investigate failures and release
machines, so that a lesson learned in Stuttgart protects a line in São Paulo
the same week.

## Who it is for

Practitioners who do safety or quality work hands-on: quality and
reliability engineers, functional safety engineers, auditors, metrology
specialists, and production or maintenance staff who lead safety walks or
8D investigations. Tell us about your practice when you ask to join; the
coordinators read every request within a week.

## How we work

- Questions about a live problem get an answer within one working day. Say
  in the title if a line is stopped.
- Investigations are written up with the 8D template in the repertoire;
  containment actions are shared before the root cause is known.
- We name parts, defects and machines plainly but never blame people.
  Customer names stay out of posts.
- Anything safety-critical is checked by a second member before it becomes
  a best practice.

## Rhythm

A 45-minute case review every second Tuesday at 14:00 CET (recorded for the
Americas and Asia), a quarterly quality review with the plant managers, and
a safety day at each site once a year.
"""

CHARTER_NEW_HIRES = """\
## Purpose

Starting somewhere new is easier when you can ask the questions that feel
too small for a ticket. This is the place for them: where the good coffee
is in Building 3, how travel expenses work, which acronym means what, and
who to ask about everything else.

## Who it is for

Everyone in their first year, and the buddies, managers and old hands who
remember their own first weeks. No question is too basic; if you have been
here for ten years, your job is to answer kindly.

## How we work

Introduce yourself when you join: where you sit, what you work on, one
thing you do outside work. Ask in the open rather than in private messages,
so the next person finds the answer. People & Culture turns the questions
that keep coming back into the onboarding pathway.

## Rhythm

A virtual coffee every Thursday (two slots, so every time zone can come), a
site tour for each new cohort, and a "30 days in" lunch at each site.
"""

CHARTER_IMPROVEMENT = """\
## Purpose

Product Line A and Product Line B grew up as separate businesses, and both
reinvented the same improvement methods. This network exists so that a
changeover reduction on the gearbox line or a kanban loop in servo drive
assembly becomes a practice the other line can reuse, with the numbers to
show it worked.

## Who it is for

Continuous improvement engineers, production engineers and supervisors,
product and quality engineers, and the controllers who validate the
savings. Membership is by request: describe an improvement you have led or
taken part in.

## How we work

1. Every improvement is written up on one A3 page: background, current
   state, target, root cause, countermeasures, results.
2. Savings are confirmed with Finance before we call them realised.
3. Members visit each other's lines: a gemba walk beats a slide deck.
4. The core members pick one cross-line theme each half-year.

## Rhythm

A monthly A3 review (first Wednesday, 15:00 CET / 8:00 Central), a kaizen
week at one plant each quarter, and a half-year report to both product line
managers.
"""

CHARTER_REMOTE = """\
## Purpose

Many of us keep machines running far from the people who designed them: at
our smaller plants, at customer sites, on night shifts. We share what makes
remote commissioning, troubleshooting and shift handovers work when the
expert is eight time zones away.

## Who it is for

Anyone who operates, commissions or services equipment away from
headquarters, and the engineers who support them from a distance. You do
not need to be an expert; you need to have been on the phone at 3 am with a
drive that will not start.

## How we work

We write for the next person on shift: short posts, a photo of the fault
display, what you tried and what happened. Answers say which site and which
firmware they come from. Handover checklists and remote-access guides live
in the repertoire, and anyone may improve them.

## Rhythm

We are spread from Chicago to Tokyo, so most of our work is asynchronous.
Once a month we hold a "follow the sun" call at two times (07:00 and 16:00
UTC) with the same agenda, and once a year we meet at whichever plant is
commissioning the most new equipment.
"""

CHARTER_ML = """\
## Purpose

We read one paper every two weeks, usually on time series, anomaly
detection, computer vision for inspection or causal inference, and ask what
it would mean for the data our drives, test benches and plants produce.

## Who it is for

Anyone curious, from PhD researchers to engineers who have never trained a
model. The presenter explains the paper for a mixed audience; questions
that start with "this may be naive, but" are the best ones.

## How we work

- Anyone may propose a paper on the discussion board; we vote on the next
  four.
- The presenter posts a one-page summary two days before: problem, method,
  results, what we could try.
- After each session we note *What?*, *So what?* and *Now what?*, and link
  any experiment that follows.

## Rhythm

Every second Friday, 12:30 to 13:30 CET, on video, with the room in Stuttgart
open for those on site. In August and December we take a break and read
whatever we like.
"""

CHARTER_PLATFORM = """\
## Purpose

We run the platform that our factory systems, customer portal and research
workloads depend on. This practice is where the people who build and
operate it agree on how: the golden paths, the runbooks, the standards for
alerts and incident reviews.

## Who it is for

Platform, site reliability, database and security engineers, and engineers
in product teams who run their own services in production. We ask for a
practice statement because discussions here assume you have been on call or
shipped infrastructure changes.

## How we work

- Decisions that affect other teams are written as short RFCs and stay open
  for comment for a week.
- Every incident with customer impact gets a blameless review, published
  here within five working days.
- Runbooks live next to the code; the repertoire links to them and records
  who reviewed them last.
- We prefer boring technology, and say why when we don't.

## Rhythm

A 30-minute operations review every Monday, a monthly architecture forum
for RFCs, and a game day each quarter where we break something on purpose
in staging.
"""

CHARTER_LEADERSHIP = """\
## Purpose

Leading a plant, a product line or a function can be lonely. The circle is a
confidential place to think out loud with peers: hard staffing decisions,
investment trade-offs, what we learned from a failed launch, how to sponsor
communities of practice without smothering them.

## Who it is for

Site, product line and function leaders, by invitation from the
coordinators. Membership is personal: nobody sends a delegate.

## How we work

What is said in the circle stays in the circle unless the person who said
it agrees otherwise. We bring real situations, not status updates. Once a
quarter each of us reports on a community of practice we sponsor: what it
learned and what value it created.

## Rhythm

A 90-minute call on the first Thursday of each month at 15:00 CET, and a
two-day offsite each autumn at a different site.
"""

CHARTER_SUPPORT = """\
## Purpose

Every support engineer learns the same things the hard way: how to read a
fault log, how to calm a customer whose line is down, how to write an
answer that solves the next ten tickets too. We share that craft so nobody
has to learn it alone.

## Who it is for

Support engineers and team leads in every time zone, field service
coordinators, knowledge managers, and the application and product
engineers who get pulled into escalations.

## How we work

We follow Knowledge-Centered Service: when you solve something, capture
it; when you reuse an answer, improve it. Ticket numbers are fine, customer
names are not. Newcomers pair with an experienced engineer for their first
month of escalations.

## Rhythm

A weekly "tricky ticket" session on Tuesdays, alternating between a
Europe/Americas and an Asia/Europe time, and a monthly review of the ten
most-read knowledge base articles.
"""


@dataclass(frozen=True)
class CommunityData:
    """One community and who is in it.

    People are named by their key (the first name as a slug). The
    coordinators' first one starts the community and admits everyone else;
    ``fill`` more people are drawn from ``pool`` (by default the
    departments the community spans) and ``sites``.
    """

    slug: str
    name: str
    tagline: str
    charter: str
    kind: str
    visibility: str
    policy: str
    departments: tuple[str, ...]
    coordinators: tuple[str, ...]
    age_days: int
    is_formal: bool = False
    statement_prompt: str = ""
    skills: tuple[str, ...] = ()
    core: tuple[str, ...] = ()
    members: tuple[str, ...] = ()
    newcomers: tuple[str, ...] = ()
    fill: int = 0
    pool: tuple[str, ...] | None = None
    sites: tuple[str, ...] | None = None
    newcomer_share: float = 0.15
    pending: tuple[tuple[str, str], ...] = ()
    declined: tuple[tuple[str, str, str], ...] = ()
    left: tuple[str, ...] = ()
    invited: tuple[tuple[str, str, str], ...] = ()
    exclude: tuple[str, ...] = ()


COMMUNITIES: tuple[CommunityData, ...] = (
    CommunityData(
        slug="safety-quality",
        name="Safety & Quality",
        tagline=(
            "Keeping our products and shop floors safe and right first "
            "time, in every plant."
        ),
        charter=CHARTER_SAFETY,
        kind=Kind.PROFESSIONAL,
        is_formal=True,
        visibility=Visibility.ORGANISATION,
        policy=Policy.APPROVAL,
        statement_prompt=(
            "Describe your hands-on practice in safety or quality: the "
            "processes you work on, the methods you use (FMEA, 8D, SPC...) "
            "and for how long."
        ),
        departments=(
            "quality", "manufacturing", "product-line-a", "product-line-b",
        ),
        skills=(
            "FMEA", "8D problem solving", "Statistical process control",
            "Root cause analysis", "ISO 9001 auditing",
            "Functional safety (ISO 13849)", "Measurement system analysis",
            "Lockout/tagout", "Supplier quality",
        ),
        coordinators=("amara", "henrik"),
        core=("mateus", "grace", "olumide", "yuki"),
        members=("priya",),
        fill=12,
        age_days=940,
        pending=(
            (
                "jonas",
                "I'm a production technician on the servo drive final "
                "assembly line in Stuttgart (second shift). Before joining "
                "this spring I spent four years as a mechatronics "
                "technician at an automotive supplier, where I ran the "
                "lockout/tagout checks for our cell and took part in two 8D "
                "investigations on torque defects. I'd like to learn how we "
                "run FMEAs here and help with the shift safety walks.",
            ),
            (
                "beatriz",
                "Maintenance planner at the São Paulo plant for six years. "
                "I schedule the preventive maintenance on our hobbing and "
                "grinding machines and lead the root cause analysis when a "
                "breakdown repeats. Last year a simple Pareto and 5-why "
                "routine cut repeat failures on line 2 by a third; I'd like "
                "to share it and learn the 8D method properly.",
            ),
            (
                "lukas",
                "Test engineer for Product Line A. I run the end-of-line "
                "and EMC test campaigns for new servo drive variants and "
                "write the test reports that feed the design FMEA. I'd like "
                "to join the case reviews so that test failures reach the "
                "quality side sooner.",
            ),
        ),
        declined=(
            (
                "nathan",
                "I'm a technical product manager for gearboxes and would "
                "like to follow the discussions to understand our quality "
                "issues better.",
                "Thanks, Nathan. Safety & Quality admits people who do "
                "safety or quality work hands-on, and the case reviews go "
                "deep into open investigations. The quarterly quality "
                "review is open to everyone, and the Process Improvement "
                "Network welcomes product managers: we'd love to see you "
                "there.",
            ),
        ),
        exclude=("lina",),
    ),
    CommunityData(
        slug="new-hires",
        name="New Hires Lounge",
        tagline=(
            "Finding your feet: where things are, who knows what, and how "
            "we actually work here."
        ),
        charter=CHARTER_NEW_HIRES,
        kind=Kind.SOCIAL,
        visibility=Visibility.PUBLIC,
        policy=Policy.OPEN,
        departments=tuple(slug for slug, _ in DEPARTMENTS),
        coordinators=("sofia", "matthias"),
        core=("gabriela", "oliver"),
        newcomers=tuple(sorted(NEW_HIRES)),
        fill=8,
        newcomer_share=0.0,
        age_days=420,
    ),
    CommunityData(
        slug="process-improvement",
        name="Process Improvement Network",
        tagline=(
            "Lean, kaizen and problem solving shared across both product "
            "lines and every plant."
        ),
        charter=CHARTER_IMPROVEMENT,
        kind=Kind.CORPORATE,
        is_formal=True,
        visibility=Visibility.ORGANISATION,
        policy=Policy.APPROVAL,
        statement_prompt=(
            "Describe an improvement you led or took part in: the problem, "
            "what you changed and what it achieved."
        ),
        departments=(
            "manufacturing", "product-line-a", "product-line-b", "quality",
            "finance",
        ),
        skills=(
            "Lean manufacturing", "Value stream mapping",
            "Kaizen facilitation", "Six Sigma (DMAIC)", "A3 problem solving",
            "SMED changeover", "Kanban",
        ),
        coordinators=("larissa",),
        core=("stefan", "tyrone", "hannah"),
        members=("amara",),
        fill=11,
        age_days=610,
        pending=(
            (
                "ana",
                "I'm an FP&A analyst in the Lisbon finance team. Last "
                "quarter I validated the savings from the SMED project on "
                "the gearbox line (changeover down from 52 to 31 minutes) "
                "and built the model we now use to price downtime. I'd like "
                "to help more improvement teams put honest numbers on their "
                "results.",
            ),
            (
                "zanele",
                "Industrialisation engineer for Product Line A since "
                "January. At my previous employer I ran two kaizen weeks on "
                "a PCB assembly line: line balancing and a kanban loop for "
                "connectors, which cut work in progress by 40 per cent. I'd "
                "like to bring that to the servo drive ramp-up and learn "
                "from the gearbox line.",
            ),
        ),
    ),
    CommunityData(
        slug="remote-site-ops",
        name="Remote Site Operations",
        tagline=(
            "Running, commissioning and servicing equipment where no expert "
            "is in the building."
        ),
        charter=CHARTER_REMOTE,
        kind=Kind.VIRTUAL,
        visibility=Visibility.ORGANISATION,
        policy=Policy.OPEN,
        departments=("manufacturing", "customer-support", "quality"),
        skills=(
            "Remote commissioning", "PLC troubleshooting", "Shift handover",
            "Preventive maintenance", "Spare parts planning",
            "Servo drive diagnostics",
        ),
        coordinators=("diego", "kenji"),
        core=("marcus", "carlos", "piotr"),
        members=("mateus",),
        fill=10,
        pool=(
            "manufacturing", "customer-support", "quality",
            "product-line-a", "product-line-b",
        ),
        sites=(
            "chicago", "saopaulo", "krakow", "tokyo", "toronto",
            "bengaluru", "nairobi", "lisbon",
        ),
        age_days=510,
        left=("luana",),
    ),
    CommunityData(
        slug="ml-reading-group",
        name="ML Reading Group",
        tagline=(
            "Reading and discussing machine learning papers that matter "
            "for industrial data."
        ),
        charter=CHARTER_ML,
        kind=Kind.ACADEMIC,
        visibility=Visibility.PUBLIC,
        policy=Policy.OPEN,
        departments=(
            "research", "platform-engineering", "product-line-a", "quality",
        ),
        skills=(
            "Machine learning", "Time-series forecasting",
            "Anomaly detection", "Computer vision", "Causal inference",
            "Python", "Experiment design",
        ),
        coordinators=("mei-lin",),
        core=("ravi", "aiko", "wanjiru"),
        members=("priya", "lina"),
        fill=9,
        pool=("research", "platform-engineering", "product-line-a"),
        newcomer_share=0.25,
        age_days=330,
    ),
    CommunityData(
        slug="platform-practice",
        name="Platform Engineering Practice",
        tagline=(
            "Building and running our internal platform: clusters, "
            "pipelines, databases and on-call."
        ),
        charter=CHARTER_PLATFORM,
        kind=Kind.PROFESSIONAL,
        is_formal=True,
        visibility=Visibility.ORGANISATION,
        policy=Policy.APPROVAL,
        statement_prompt=(
            "What do you build or run in production, and what on-call or "
            "infrastructure work have you done?"
        ),
        departments=("platform-engineering", "research", "product-line-a"),
        skills=(
            "Kubernetes", "Terraform", "Observability", "Incident response",
            "CI/CD pipelines", "PostgreSQL", "Linux administration",
        ),
        coordinators=("arjun", "ines"),
        core=("ethan", "rui", "chloe"),
        fill=7,
        pool=("platform-engineering", "research"),
        age_days=720,
        pending=(
            (
                "takeshi",
                "I maintain the firmware build and release pipeline for "
                "the servo drives (GitLab CI, self-hosted runners, image "
                "signing) and have been on the firmware team's on-call for "
                "field issues for three years. I'm moving our build farm "
                "onto the platform's Kubernetes runners and want to follow "
                "the standards and the operations review.",
            ),
            (
                "lucas",
                "Machine learning engineer, joined Research a month ago. "
                "In my previous job I ran model-serving services on "
                "Kubernetes (about 20 deployments, Prometheus alerting, on "
                "call one week in four). I'll be deploying the predictive "
                "maintenance models here and want to do it the platform way "
                "from day one.",
            ),
        ),
    ),
    CommunityData(
        slug="leadership-circle",
        name="Leadership Circle",
        tagline=(
            "A confidential peer group for the people who lead our sites, "
            "product lines and functions."
        ),
        charter=CHARTER_LEADERSHIP,
        kind=Kind.CORPORATE,
        is_formal=True,
        visibility=Visibility.PRIVATE,
        policy=Policy.INVITATION,
        departments=(
            "manufacturing", "quality", "platform-engineering", "research",
            "people-culture", "product-line-a", "product-line-b", "finance",
        ),
        skills=(
            "Coaching", "Strategic planning", "Budgeting", "Hiring",
            "Change management",
        ),
        coordinators=("rachel",),
        core=("katrin",),
        members=("felix", "ines", "stefan", "paulo", "helena", "grace"),
        age_days=800,
        invited=(
            (
                "hiroshi",
                Role.MEMBER,
                "Hiroshi, we would value the APAC support view in the "
                "circle. We meet on the first Thursday of each month; the "
                "autumn offsite is in Lisbon.",
            ),
        ),
    ),
    CommunityData(
        slug="support-craft",
        name="Customer Support Craft",
        tagline=(
            "The craft of helping customers: troubleshooting, answers that "
            "last, and keeping calm."
        ),
        charter=CHARTER_SUPPORT,
        kind=Kind.PROFESSIONAL,
        visibility=Visibility.ORGANISATION,
        policy=Policy.OPEN,
        departments=("customer-support", "product-line-a", "product-line-b"),
        skills=(
            "Technical troubleshooting", "Knowledge-Centered Service",
            "De-escalation", "Technical writing",
            "Field service coordination", "Customer onboarding",
        ),
        coordinators=("fatima",),
        core=("megan", "hiroshi", "ananya"),
        members=("lina",),
        fill=7,
        pool=("customer-support", "product-line-a", "product-line-b"),
        age_days=560,
    ),
)  # fmt: skip

# --- Parts that introductions, statements and help notes are built from --

OPENERS = (
    "Hi, I'm {first}, {a_title} in {dept}, based in {city}. I {since}.",
    "I'm {first} and I work as {a_title} out of our {city} site. I {since}.",
    "{first} here: {a_title} with the {dept} team in {city}. I {since}.",
    "Hello! I'm {first}, {a_title} in {city}, part of {dept}. I {since}.",
    "I'm {first}. I {since} and work in {dept} as {a_title}, sitting with "
    "the {city} team.",
)
WORK: dict[str, tuple[str, ...]] = {
    "manufacturing": (
        "Most of my week is spent on the line: changeovers, first-piece "
        "approvals and keeping the OEE board honest.",
        "I look after the preventive maintenance plan for our CNC cells "
        "and the spare parts that go with it.",
        "Right now I'm working on cutting changeover time on the gear "
        "hobbing cell from 50 to 30 minutes.",
        "I plan the weekly build sequence and negotiate with sourcing when "
        "a part is late.",
        "I commission new assembly stations and write the work "
        "instructions operators actually use.",
    ),
    "quality": (
        "I run supplier audits and chase corrective actions until they are "
        "really closed.",
        "Most of my time goes into customer complaints: containment first, "
        "then a proper 8D.",
        "I maintain our control plans and the SPC charts on the final test "
        "benches.",
        "I keep the gauges calibrated and run the measurement system "
        "analyses nobody else enjoys.",
        "I coordinate the safety assessments for new machines before they "
        "are released to production.",
    ),
    "platform-engineering": (
        "I look after the Kubernetes clusters that run our factory and "
        "customer-facing services.",
        "My focus is making deploys boring: pipelines, release checks and "
        "rollbacks that work.",
        "I'm on the on-call rota for the data platform and care a lot "
        "about alerts that mean something.",
        "I spend most of my time on Terraform modules and on helping teams "
        "adopt them.",
        "I run our PostgreSQL fleet: upgrades, backups, and restores we "
        "actually test.",
    ),
    "customer-support": (
        "I handle second-level tickets for servo drives, mostly "
        "commissioning and fault-code questions.",
        "I coordinate field service visits and make sure the technician "
        "arrives with the right parts.",
        "I write and curate the knowledge base articles customers find "
        "through the portal.",
        "I take the escalations nobody else wants and turn the lessons "
        "into better first-line answers.",
        "I onboard new distributor partners and teach their support teams "
        "how our drives behave.",
    ),
    "research": (
        "I work on predictive maintenance models that use vibration and "
        "current signatures from our drives.",
        "My current project is visual inspection of gear teeth with a "
        "small camera rig and a lot of labelled images.",
        "I research anomaly detection for end-of-line test data.",
        "I bridge research and product: turning prototypes into something "
        "a product team can own.",
        "Much of my time goes into experiment design, and into explaining "
        "uncertainty to people who want one number.",
    ),
    "people-culture": (
        "I run the onboarding programme, from the first-day checklist to "
        "the 90-day check-in.",
        "I partner with engineering leads on hiring plans and growth "
        "conversations.",
        "I design our internal learning offer and look for people who can "
        "teach it.",
        "I help managers with the hard conversations and the paperwork "
        "that follows them.",
        "I write the internal newsletter and try to make the intranet less "
        "of a maze.",
    ),
    "product-line-a": (
        "I work on the servo drive family: requirements, trade-offs and "
        "the occasional late-night test run.",
        "I spend a lot of time with our customers' engineers, turning "
        "what they need into the next drive generation.",
        "I write motor-control firmware and the test harness around it.",
        "I take new drive designs from prototype to series production with "
        "the plant team.",
        "I run the environmental and EMC test campaigns for new drive "
        "variants.",
    ),
    "product-line-b": (
        "I design gearbox housings and spend a lot of time on tolerance "
        "stack-ups.",
        "I help customers size the right gearbox for their application, "
        "and explain why the smaller one won't last.",
        "I look after cost and supply risk for the gearbox line's bought-in "
        "parts.",
        "I run improvement projects on the gearbox assembly line together "
        "with production.",
        "I manage the gearbox roadmap and translate customer feedback into "
        "requirements.",
    ),
    "finance": (
        "I build the monthly cost reports for the plants and explain the "
        "variances to the people who caused them.",
        "I work on the business cases for capital investments, mostly new "
        "machines.",
        "I run the budgeting cycle for the engineering departments.",
        "I look after product costing and keep the standard costs in the "
        "ERP honest.",
        "I support procurement with supplier price analyses and contract "
        "reviews.",
    ),
}
ASK = (
    "**Ask me about:** {skills}.",
    "Happy to help with {skills}: post in the community and mention me.",
    "If you're stuck on {first_skill}, I have probably been stuck on it too.",
    "Things I can help with:\n\n{skill_list}",
    "People usually come to me about {skills}.",
)
LEARNING = (
    "Currently learning {skill}, and looking for someone to review my "
    "first attempts.",
    "I'm trying to get better at {skill}; tips are very welcome.",
    "This year I want to get properly good at {skill}.",
)
LEARNING_OTHER = (
    "This year I'm working on giving clearer feedback.",
    "I'm learning Japanese, slowly.",
    "Trying to learn enough Python to automate my weekly report.",
    "Currently reading everything I can find on facilitation.",
    "Learning to write shorter documents. This paragraph is practice.",
)
HOBBIES = (
    "Outside work I coach my daughter's football team.",
    "Outside work I restore old road bikes.",
    "Away from work I bake sourdough, with mixed results.",
    "I run half-marathons, slowly.",
    "I play bass in a covers band that rehearses more than it performs.",
    "Every summer I grow far too many tomatoes.",
    "Most weekends I'm hiking somewhere with a view.",
    "I'm learning to surf, which mostly means falling off.",
    "I read a lot of science fiction; recommendations welcome.",
    "I volunteer at a repair café once a month.",
    "I play chess online, badly but with enthusiasm.",
    "I keep two beehives on my balcony.",
    "I build mechanical keyboards and will talk about switches at length.",
    "I sing in a choir.",
    "Each month I cook my way through a different country's food.",
    "I photograph old factories and industrial buildings.",
    "You'll find me at the bouldering gym most evenings.",
    "I paint miniatures.",
    "On Sundays I play in a cricket league.",
    "I swim in the lake all year round.",
    "I play padel with anyone who asks.",
    "I dance forró.",
    "I own more coffee equipment than is reasonable.",
    "I play the piano, mostly Satie.",
    "I'm fixing up a 1970s camper van, one rusty panel at a time.",
    "I walk our dog for hours at weekends.",
    "I play go and am always looking for opponents.",
    "I follow motorsport a little too closely.",
)
CONTACT = (
    "I'm usually online {hours}; questions that can wait are always fine.",
    "The best way to reach me is a post in the community; I read them "
    "{hours}.",
    "My calendar is open for 30-minute chats, {hours}.",
    "Working hours: {hours}.",
)
STATEMENTS = (
    "I work as {a_title} in {city} and have practised {skill} for "
    "{years}. I'd like to compare notes with people who do the same at "
    "other sites.",
    "Hands-on {skill} for {years}, currently as {a_title} in {dept}. I can "
    "share what worked for us and want to learn from your case reviews.",
    "Day to day I use {skill} in my work as {a_title}; I've done it for "
    "{years} and would like to see how the other sites approach it.",
    "My practice: {skill}, {years}, mostly at the {city} site. Happy to "
    "contribute examples to the repertoire.",
)
HELP_NOTES = (
    "Happy to pair on {skill} for an hour; I'm around {hours}.",
    "Ask me about {skill}. I answer questions most days, {hours}.",
    "Can review your {skill} work before it goes out; send it a day ahead.",
    "Glad to mentor someone who is getting started with {skill}.",
)
# Skill names that keep their capital inside a sentence.
PROPER = frozenset(
    {"Kubernetes", "Terraform", "Python", "Go", "PostgreSQL", "Linux", "Six",
     "Knowledge-Centered", "Kanban"}
)  # fmt: skip
# The sign-ins introduce themselves in their own words.
INTRODUCTIONS = {
    "amara": (
        "I'm Amara, Quality Systems Lead in Stuttgart. I look after our "
        "quality management system across the plants: the ISO 9001 "
        "certificate, the internal audit programme and the FMEA method we "
        "all (mostly) follow. Before this I spent six years as a "
        "reliability engineer on the gearbox line.\n\n"
        "I coordinate the **Safety & Quality** community. If you ask to "
        "join, tell me what you actually do: the requests I can approve "
        "fastest name a process, a method and how long you have done it."
        "\n\n"
        "**Ask me about:** design and process FMEAs that people still read "
        "afterwards, preparing for an external audit, and getting an 8D "
        "past the containment step.\n\n"
        "Outside work I sing in a choir and grow far too many tomatoes. "
        "I'm usually online 7:30 to 16:30 CET."
    ),
    "mateus": (
        "Olá! I'm Mateus, supplier quality engineer at the São Paulo "
        "plant. Most of my week goes to our castings and bearings "
        "suppliers: first article inspections, PPAP files and the "
        "corrective actions that follow a bad delivery.\n\n"
        "I'm a core member of Safety & Quality, where I run the "
        "supplier-issue case reviews, and I hang out in Remote Site "
        "Operations because half my suppliers are a day's drive away.\n\n"
        "Ask me about 8D reports that suppliers can actually answer, and "
        "about statistical process control on incoming parts.\n\n"
        "Weekends are for futebol with my kids. 8:00 to 17:00 BRT."
    ),
    "priya": (
        "I'm Priya, incoming inspection engineer in our Bengaluru sourcing "
        "office. I check parts from suppliers in India and Southeast Asia "
        "before they ship to the plants, which means a lot of gauges, "
        "sampling plans and video calls at odd hours.\n\n"
        "I joined Safety & Quality to learn from the plants' measurement "
        "system analyses, and the ML Reading Group because I would like to "
        "automate some of our visual checks one day.\n\n"
        "I'm learning Python on the side: if you know a good first project "
        "with inspection data, tell me.\n\n"
        "10:00 to 19:00 IST, overlapping with Europe in the afternoon."
    ),
    "jonas": (
        "Hi, I'm Jonas, production technician on the servo drive final "
        "assembly line in Stuttgart (second shift). I joined this spring "
        "after four years as a mechatronics technician at an automotive "
        "supplier.\n\n"
        "What I already know a bit about: preventive maintenance, "
        "lockout/tagout and the torque tools on our line. What I'm "
        "learning: how we run FMEAs and 8D investigations here, and where "
        "everything is.\n\n"
        "I have asked to join Safety & Quality, and you'll find me in the "
        "New Hires Lounge asking the small questions.\n\n"
        "On my days off I'm fixing up a 1970s camper van. My shift runs "
        "14:00 to 22:00 CET."
    ),
    "lina": (
        "I'm Lina, support engineer in Toronto. I take second-level "
        "tickets for the servo drives, mostly commissioning questions and "
        "fault codes the manual explains badly, and I rewrite the "
        "knowledge base articles that caused them.\n\n"
        "I'm a member of Customer Support Craft and lurk in the ML Reading "
        "Group, because I think our ticket data could tell us which faults "
        "are coming before customers do.\n\n"
        "**Ask me about:** reading drive fault logs, and writing an answer "
        "a tired customer can follow at 2 am.\n\n"
        "I play padel with anyone who asks. 9 am to 5 pm Eastern."
    ),
}
HELP_OVERRIDES = {
    "amara": (
        "Happy to review an FMEA before your design review: send it two "
        "days ahead. Mornings CET."
    ),
}

# Levels each role declares in its community's skills (Dreyfus 1-5), and
# years of practice that fit each level.
ROLE_LEVELS: dict[str, tuple[int, int]] = {
    Role.COORDINATOR: (4, 5),
    Role.CORE: (4, 5),
    Role.MEMBER: (2, 4),
    Role.NEWCOMER: (1, 2),
}
LEVEL_YEARS = {1: (0, 1), 2: (1, 3), 3: (2, 6), 4: (4, 9), 5: (7, 15)}
LEVEL_ENDORSERS = {1: (0, 1), 2: (0, 2), 3: (1, 3), 4: (2, 4), 5: (3, 6)}

# --- The plan: pure data, the same on every run ---------------------------


class Seat(NamedTuple):
    key: str
    role: str
    days: int  # how long ago the person joined


@dataclass
class Plan:
    """Everything the builder writes, decided before any write."""

    profiles: dict[str, dict[str, Any]] = field(default_factory=dict)
    joined_days: dict[str, int] = field(default_factory=dict)
    seats: dict[str, list[Seat]] = field(default_factory=dict)
    statements: dict[tuple[str, str], str] = field(default_factory=dict)
    request_days: dict[tuple[str, str], int] = field(default_factory=dict)
    expertise: dict[str, dict[str, tuple[int, int]]] = field(
        default_factory=dict
    )
    endorsements: list[tuple[str, str, str]] = field(default_factory=list)
    verifications: list[tuple[str, str, str]] = field(default_factory=list)


PEOPLE_BY_KEY = {p.key: p for p in PEOPLE}


def _article(title: str) -> str:
    if title.startswith(("Head of", "Chief")):
        return title
    an = title[0] in "AEIOU" or title.startswith("FP&A")
    return f"{'an' if an else 'a'} {title}"


def _duration(years: int) -> str:
    if years == 0:
        return "less than a year"
    return "a year" if years == 1 else f"{years} years"


def _since(tenure: int) -> str:
    if tenure == 0:
        return "joined a few weeks ago"
    if tenure == 1:
        return "have been with the company for about a year"
    return f"have been with the company for {tenure} years"


def _inline(skill: str) -> str:
    """A skill's name inside a sentence: 'root cause analysis', 'FMEA'."""
    first = skill.split()[0]
    if first in PROPER or not first[1:].islower():
        return skill
    return skill[0].lower() + skill[1:]


def _and(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else f"{items[0]} and {items[1]}"


def _roster(c: CommunityData, rng: random.Random) -> list[Seat]:
    """Who is in the community, the first coordinator first."""
    named = (
        c.coordinators + c.core + c.members + c.newcomers + c.left + c.exclude
    )
    taken = set(named)
    taken.update(key for key, _ in c.pending)
    taken.update(key for key, _, _ in c.declined)
    taken.update(key for key, _, _ in c.invited)
    departments = c.departments if c.pool is None else c.pool
    pool = [
        p.key
        for p in PEOPLE
        if p.department in departments
        and (c.sites is None or p.site in c.sites)
        and p.key not in taken
        and p.key not in NAMED
    ]
    drawn = rng.sample(pool, min(c.fill, len(pool)))
    roles = (
        [(k, Role.COORDINATOR) for k in c.coordinators]
        + [(k, Role.CORE) for k in c.core]
        + [(k, Role.MEMBER) for k in c.members]
        + [(k, Role.NEWCOMER) for k in c.newcomers]
    )
    for key in drawn:
        new = key in NEW_HIRES or rng.random() < c.newcomer_share
        roles.append((key, Role.NEWCOMER if new else Role.MEMBER))
    seats = []
    for i, (key, role) in enumerate(roles):
        if i == 0:
            days = c.age_days
        elif key in NEW_HIRES or role == Role.NEWCOMER:
            days = rng.randint(3, 45)
        else:
            days = rng.randint(60, c.age_days - 10)
        seats.append(Seat(key, role, days))
    return seats


def _years(level: int, rng: random.Random) -> int:
    return rng.randint(*LEVEL_YEARS[level])


def _plan_expertise(p: Plan, rng: random.Random) -> None:
    exp = p.expertise

    def add(key: str, skill: str, level: int) -> None:
        current = exp[key].get(skill)
        if current is None or current[0] < level:
            exp[key][skill] = (level, _years(level, rng))

    for person in PEOPLE:
        key = person.key
        if key in EXPERTISE:
            exp[key] = {s: (lvl, yrs) for s, lvl, yrs in EXPERTISE[key]}
            continue
        exp[key] = {}
        skill = rng.choice(DEPARTMENT_SKILLS[person.department])
        level = rng.randint(1, 3) if key in NEW_HIRES else rng.randint(2, 5)
        add(key, skill, level)
    for c in COMMUNITIES:
        if not c.skills:
            continue
        entries = [(s.key, s.role) for s in p.seats[c.slug]]
        # People asking to join claim some practice too.
        entries += [(k, Role.NEWCOMER) for k, _ in c.pending]
        for seat_key, role in entries:
            if seat_key in EXPERTISE:
                continue
            if role in (Role.COORDINATOR, Role.CORE):
                n = 2
            elif role == Role.MEMBER:
                n = rng.choice((1, 2))
            else:
                n = 1
            for skill in rng.sample(c.skills, n):
                add(seat_key, skill, rng.randint(*ROLE_LEVELS[role]))
    for person in PEOPLE:
        key = person.key
        spare = [
            s
            for s in DEPARTMENT_SKILLS[person.department]
            if s not in exp[key]
        ]
        if len(exp[key]) < 2 and spare:
            add(key, rng.choice(spare), rng.randint(2, 3))


def _plan_endorsements(p: Plan, rng: random.Random) -> None:
    planned: dict[tuple[str, str, str], None] = {}

    def endorse(key: str, skill: str, colleagues: list[str]) -> None:
        level = p.expertise[key][skill][0]
        lo, hi = LEVEL_ENDORSERS[level]
        others = [k for k in colleagues if k != key]
        for endorser in rng.sample(
            others, min(len(others), rng.randint(lo, hi))
        ):
            planned[(endorser, key, skill)] = None

    for c in COMMUNITIES:
        active = [s.key for s in p.seats[c.slug]]
        for key in active:
            for skill in p.expertise[key]:
                if skill in c.skills:
                    endorse(key, skill, active)
    by_department: dict[str, list[str]] = {}
    for person in PEOPLE:
        by_department.setdefault(person.department, []).append(person.key)
    for person in PEOPLE:
        for skill, (level, _) in p.expertise[person.key].items():
            if skill in DEPARTMENT_SKILLS[person.department] and level >= 3:
                colleagues = by_department[person.department]
                others = [k for k in colleagues if k != person.key]
                for endorser in rng.sample(others, rng.randint(0, 2)):
                    planned[(endorser, person.key, skill)] = None
    p.endorsements = list(planned)


def _plan_verifications(p: Plan, rng: random.Random) -> None:
    done: set[tuple[str, str]] = set()
    for c in COMMUNITIES:
        first = c.coordinators[0]
        second = c.coordinators[1] if len(c.coordinators) > 1 else None
        for seat in p.seats[c.slug]:
            verifier = second if seat.key == first else first
            if verifier is None:
                continue
            for skill, (level, _) in p.expertise[seat.key].items():
                if skill not in c.skills or level < 4:
                    continue
                senior = seat.role in (Role.COORDINATOR, Role.CORE)
                if (seat.key, skill) not in done and (
                    senior or rng.random() < 0.35
                ):
                    done.add((seat.key, skill))
                    p.verifications.append((verifier, seat.key, skill))


def _introduction(
    person: Person, tenure: int, p: Plan, rng: random.Random
) -> str:
    site = SITES[person.site]
    values = {
        "first": person.name.split()[0],
        "a_title": _article(person.title),
        "dept": DEPARTMENT_NAMES[person.department],
        "city": site.city,
        "since": _since(tenure),
    }
    paragraphs = [rng.choice(OPENERS).format(**values)]
    work = WORK[person.department]
    paragraphs.append(" ".join(rng.sample(work, rng.choice((1, 1, 2)))))
    ranked = sorted(
        p.expertise[person.key].items(), key=lambda item: -item[1][0]
    )
    strong = [skill for skill, (level, _) in ranked if level >= 3][:2]
    if strong:
        paragraphs.append(
            rng.choice(ASK).format(
                skills=_and([_inline(s) for s in strong]),
                first_skill=_inline(strong[0]),
                skill_list="\n".join(f"- {s}" for s in strong),
            )
        )
    weak = [skill for skill, (level, _) in ranked if level <= 2]
    if rng.random() < 0.6:
        paragraphs.append(
            rng.choice(LEARNING).format(skill=_inline(weak[0]))
            if weak
            else rng.choice(LEARNING_OTHER)
        )
    closing = [rng.choice(HOBBIES)] if rng.random() < 0.8 else []
    closing.append(rng.choice(CONTACT).format(hours=site.hours))
    paragraphs.append(" ".join(closing))
    return "\n\n".join(paragraphs)


def _plan_profiles(
    p: Plan, tenure: dict[str, int], rng: random.Random
) -> None:
    for person in PEOPLE:
        site = SITES[person.site]
        ranked = sorted(
            p.expertise[person.key].items(), key=lambda item: -item[1][0]
        )
        top_skill, (top_level, _) = ranked[0]
        chance = 0.5 if top_level >= 4 else 0.12
        note = ""
        if person.key in HELP_OVERRIDES:
            note = HELP_OVERRIDES[person.key]
        elif rng.random() < chance:
            note = rng.choice(HELP_NOTES).format(
                skill=_inline(top_skill), hours=site.hours
            )
        p.profiles[person.key] = {
            "pronouns": person.pronouns,
            "department": person.department,
            "job_title": person.title,
            "location": site.location,
            "time_zone": site.time_zone,
            "introduction": INTRODUCTIONS.get(person.key)
            or _introduction(person, tenure[person.key], p, rng),
            "available_to_help": bool(note),
            "help_note": note,
        }


def _plan_statements(p: Plan, rng: random.Random) -> None:
    for c in COMMUNITIES:
        if c.policy != Policy.APPROVAL:
            continue
        for seat in p.seats[c.slug]:  # the creator too, should they rejoin
            person = PEOPLE_BY_KEY[seat.key]
            mine = [
                (level, years, skill)
                for skill, (level, years) in p.expertise[seat.key].items()
                if skill in c.skills
            ]
            if not mine:  # a named person whose expertise lies elsewhere
                mine = [
                    (level, years, skill)
                    for skill, (level, years) in p.expertise[seat.key].items()
                ]
            _, years, skill = max(mine)
            p.statements[(c.slug, seat.key)] = rng.choice(STATEMENTS).format(
                a_title=_article(person.title),
                city=SITES[person.site].city,
                dept=DEPARTMENT_NAMES[person.department],
                skill=_inline(skill),
                years=_duration(years),
            )
        for key, statement in c.pending:
            p.statements[(c.slug, key)] = statement
            p.request_days[(c.slug, key)] = rng.randint(1, 12)
        for key, statement, _ in c.declined:
            p.statements[(c.slug, key)] = statement
            p.request_days[(c.slug, key)] = rng.randint(20, 40)


def plan() -> Plan:
    """Decide the whole organisation from the data and the seed; no I/O."""
    rng = random.Random(SEED)  # noqa: S311 - reproducible, not secret
    p = Plan()
    tenure = {
        person.key: 0 if person.key in NEW_HIRES else rng.randint(1, 16)
        for person in PEOPLE
    }
    for c in COMMUNITIES:
        p.seats[c.slug] = _roster(c, rng)
    _plan_expertise(p, rng)
    _plan_endorsements(p, rng)
    _plan_verifications(p, rng)
    _plan_statements(p, rng)
    _plan_profiles(p, tenure, rng)
    for person in PEOPLE:
        seat_days = [
            s.days for seats in p.seats.values() for s in seats
            if s.key == person.key
        ]  # fmt: skip
        if person.key in NEW_HIRES:
            base = max(seat_days, default=rng.randint(5, 40))
        else:
            base = max(seat_days, default=rng.randint(60, 900))
        p.joined_days[person.key] = base + rng.randint(2, 30)
    return p


# --- Output --------------------------------------------------------------


def console(stdout: Any = None) -> Console:
    """A rich console on ``stdout`` (a command's stdout or any stream)."""
    # Django's OutputWrapper ends every write with a newline; rich writes
    # fragments (and cursor moves), so it gets the stream underneath.
    return Console(file=getattr(stdout, "_out", stdout), highlight=False)


class _Progress:
    """A transient progress bar on a terminal; silent anywhere else."""

    def __init__(self, stdout: Any) -> None:
        self.bar: Progress | None = None
        out = console(stdout) if stdout is not None else None
        if out is not None and out.is_terminal:
            self.bar = Progress(
                TextColumn("{task.description:<14}"),
                BarColumn(),
                MofNCompleteColumn(),
                console=out,
                transient=True,
            )

    def track(self, items: Sequence[T], description: str) -> Iterable[T]:
        if self.bar is None:
            return items
        return self.bar.track(items, description=description)


@contextmanager
def _progress(stdout: Any) -> Iterator[_Progress]:
    progress = _Progress(stdout)
    if progress.bar is None:
        yield progress
        return
    with progress.bar:
        yield progress


# --- The builder ---------------------------------------------------------


def markdown(body: str) -> str:
    """A body from :mod:`~practica.web.demo_conversations` as written."""
    return textwrap.dedent(body).strip()


def views(talk: Talk) -> int:
    """A believable view count for a conversation, the same every run."""
    return (
        7
        + sum(map(ord, talk.title)) % 37
        + 9 * len(talk.answers)
        + 5 * len(talk.up)
        + min(talk.days, 120) // 2
    )


def revise(body: str, edit: Edit) -> str:
    """An artifact's text after one edit from
    :mod:`~practica.web.demo_repertoire`: each change replaces a piece
    that is in the text exactly once, or appends a paragraph."""
    for old, new in edit.changes:
        if not old:
            body = f"{body}\n\n{markdown(new)}"
        elif body.count(old) != 1:
            raise ValueError(
                f"Edit {edit.message!r}: {old!r} is not in the text once."
            )
        else:
            body = body.replace(old, new)
    return body


def artifact_views(piece: Piece) -> int:
    """A believable view count for an artifact, the same every run."""
    return (
        5
        + sum(map(ord, piece.title)) % 29
        + 7 * len(piece.helped)
        + 3 * len(piece.edits)
        + min(piece.days, 200) // 4
    )


def helped_days(piece: Piece, joined: dict[str, int]) -> list[int]:
    """How many days ago each "this helped me" came: spread from when the
    artifact was written until today, but never before the person joined
    the community (``joined``: days since, by key)."""
    n = len(piece.helped)
    return [
        max(0, min(piece.days * (n - i) // (n + 1), joined.get(key, 1) - 1))
        for i, key in enumerate(piece.helped)
    ]


def _stamp(rows: QuerySet[Any], stamps: dict[int, datetime]) -> None:
    """Backdate each person's row (a vote, a mark) in one query."""
    if stamps:
        rows.filter(user_id__in=stamps).update(
            created_at=Case(
                *(When(user_id=u, then=Value(t)) for u, t in stamps.items())
            )
        )


class _Timeline:
    """When things happened in one conversation: hours after one another,
    never in the future; the latest activity is its last activity."""

    def __init__(self, start: datetime, limit: datetime) -> None:
        self.limit = limit
        self.latest = start

    def at(
        self, base: datetime, hours: float, activity: bool = True
    ) -> datetime:
        when = min(base + timedelta(hours=hours), self.limit)
        if activity:
            self.latest = max(self.latest, when)
        return when


class _Builder:
    def __init__(self, p: Plan, progress: _Progress) -> None:
        self.plan = p
        self.progress = progress
        self.now = timezone.now()
        self.people: dict[str, User] = {}
        self.new_people: list[int] = []
        self.admin: User | None = None

    def ago(self, days: int) -> Any:
        # Spread over the day too, so lists sorted by time look natural.
        return self.now - timedelta(days=days, minutes=(days * 7919) % 600)

    def run(self) -> None:
        self.departments()
        self.operator()
        self.persons()
        for c in self.progress.track(COMMUNITIES, "Communities"):
            self.community(c)
        self.expertise()
        for c in self.progress.track(COMMUNITIES, "Conversations"):
            self.conversations(c)
        for c in self.progress.track(COMMUNITIES, "Repertoire"):
            self.repertoire(c)
        if self.new_people:
            # One hash for everyone: hashing is slow by design, and every
            # demo person shares the published password anyway.
            User.objects.filter(pk__in=self.new_people).update(
                password=make_password(PASSWORD)
            )

    def departments(self) -> None:
        for slug, name in DEPARTMENTS:
            Department.objects.get_or_create(
                slug=slug, defaults={"name": name}
            )

    def operator(self) -> None:
        admin = User.objects.filter(email=ADMIN_EMAIL).first()
        if admin is None:
            admin = User.objects.create_superuser(
                ADMIN_EMAIL,
                password=None,
                display_name="Practica Operator",
                job_title="Platform operator",
            )
            self.new_people.append(admin.pk)
        self.admin = admin

    def persons(self) -> None:
        found = {
            u.email: u
            for u in User.objects.filter(email__in=[p.email for p in PEOPLE])
        }
        for person in self.progress.track(PEOPLE, "People"):
            user = found.get(person.email)
            if user is None:
                user = User.objects.create_user(
                    person.email, password=None, display_name=person.name
                )
                accounts.profile_update(
                    actor=user, person=user, **self.plan.profiles[person.key]
                )
                User.objects.filter(pk=user.pk).update(
                    date_joined=self.ago(self.plan.joined_days[person.key])
                )
                self.new_people.append(user.pk)
            self.people[person.key] = user

    def community(self, c: CommunityData) -> None:
        seats = self.plan.seats[c.slug]
        creator = self.people[seats[0].key]
        community = Community.objects.filter(slug=c.slug).first()
        if community is None:
            community = communities.community_create(
                creator=creator,
                name=c.name,
                slug=c.slug,
                tagline=c.tagline,
                charter=c.charter,
                kind=c.kind,
                is_formal=c.is_formal,
                visibility=c.visibility,
                policy=c.policy,
                statement_prompt=c.statement_prompt,
                departments=list(c.departments),
            )
            Community.objects.filter(pk=community.pk).update(
                created_at=self.ago(c.age_days)
            )
            self.backdate(
                Membership.objects.get(community=community, user=creator),
                c.age_days,
            )
        creator = self.moderator(community, creator)
        present = set(
            Membership.objects.filter(community=community).values_list(
                "user_id", flat=True
            )
        )

        def absent(key: str) -> bool:
            return self.people[key].pk not in present

        for seat in seats:
            if absent(seat.key):
                m = self.admit(community, creator, seat)
                self.backdate(m, seat.days)
        for key in c.left:
            if absent(key):
                user = self.people[key]
                m = communities.community_join(user=user, community=community)
                self.backdate(m, 200)
                communities.community_leave(user=user, community=community)
        for key, _ in c.pending:
            if absent(key):
                m = communities.community_join(
                    user=self.people[key],
                    community=community,
                    practice_statement=self.plan.statements[(c.slug, key)],
                )
                self.backdate(m, self.plan.request_days[(c.slug, key)])
        for key, _, reason in c.declined:
            if absent(key):
                m = communities.community_join(
                    user=self.people[key],
                    community=community,
                    practice_statement=self.plan.statements[(c.slug, key)],
                )
                self.backdate(m, self.plan.request_days[(c.slug, key)])
                communities.membership_decline(
                    actor=creator, membership=m, reason=reason
                )
        for key, role, message in c.invited:
            email = self.people[key].email
            if not Invitation.objects.filter(
                community=community, email=email
            ).exists():
                communities.invitation_create(
                    actor=creator,
                    community=community,
                    email=email,
                    role=role,
                    message=message,
                )

    def moderator(self, community: Community, creator: User) -> User:
        """Who admits people: the creator or, when people have changed the
        roles since the first run, another coordinator or the operator."""
        access.forget(creator)
        if access.can(creator, "moderate", community):
            return creator
        m = Membership.objects.filter(
            community=community, role=Role.COORDINATOR, status=Status.ACTIVE
        ).first()
        if m is not None:
            return m.user
        return self.admin or creator

    def admit(
        self, community: Community, creator: User, seat: Seat
    ) -> Membership:
        """Bring one person in the way the community's policy says."""
        user = self.people[seat.key]
        if community.policy == Policy.INVITATION:
            _, raw = communities.invitation_create(
                actor=creator,
                community=community,
                email=user.email,
                role=seat.role,
            )
            return communities.invitation_accept(user=user, raw_token=raw)
        statement = self.plan.statements.get((community.slug, seat.key), "")
        m = communities.community_join(
            user=user, community=community, practice_statement=statement
        )
        if community.policy == Policy.APPROVAL:
            return communities.membership_approve(
                actor=creator, membership=m, role=seat.role
            )
        if seat.role != Role.MEMBER:
            m = communities.membership_set_role(
                actor=creator, membership=m, role=seat.role
            )
        return m

    def backdate(self, m: Membership, days: int) -> None:
        when = self.ago(days)
        Membership.objects.filter(pk=m.pk).update(
            created_at=when,
            joined_at=when if m.joined_at else None,
            decided_at=when if m.decided_at else None,
        )

    def expertise(self) -> None:
        """Declare what people know; endorse and verify what is new.

        Endorsements and verifications only touch expertise declared in
        this run: on anything older, what people did since (withdrawing
        an endorsement, say) is theirs to keep.
        """
        ids = [user.pk for user in self.people.values()]
        have = set(
            Expertise.objects.filter(user_id__in=ids).values_list(
                "user_id", "skill__slug"
            )
        )
        wanted = [
            (key, skill, level, years)
            for key, user in self.people.items()
            for skill, (level, years) in self.plan.expertise[key].items()
            if (user.pk, slugify(skill)) not in have
        ]
        made: dict[tuple[str, str], Expertise] = {}
        for key, skill, level, years in self.progress.track(
            wanted, "Expertise"
        ):
            user = self.people[key]
            made[(key, skill)] = accounts.expertise_set(
                actor=user, person=user, skill=skill, level=level, years=years
            )
        endorsements = [
            (endorser, made[(key, skill)])
            for endorser, key, skill in self.plan.endorsements
            if (key, skill) in made
        ]
        for endorser, e in self.progress.track(endorsements, "Endorsements"):
            accounts.expertise_endorse(
                actor=self.people[endorser], expertise=e
            )
        for user in self.people.values():
            access.forget(user)  # memberships changed since they were read
        verifications = [
            (self.people[verifier], made[(key, skill)])
            for verifier, key, skill in self.plan.verifications
            if (key, skill) in made
        ]
        for actor, e in self.progress.track(verifications, "Verifications"):
            # A walk-through may have changed who coordinates what.
            if access.can(actor, "verify", e):
                accounts.expertise_verify(actor=actor, expertise=e)

    # --- conversations --------------------------------------------------

    def conversations(self, data: CommunityData) -> None:
        """Curate the community's tags, then write each conversation that
        is not there yet (by title), with everything that happened to it.
        Conversations already there, and all their parts, stay as they
        are."""
        community = Community.objects.get(slug=data.slug)
        moderator = self.moderator(
            community, self.people[data.coordinators[0]]
        )
        self.tags(community, moderator, TAGS.get(data.slug, ()))
        talks = CONVERSATIONS.get(data.slug, ())
        have = {
            c.title: c
            for c in Conversation.objects.filter(
                community=community, title__in=[t.title for t in talks]
            ).only("id", "title", "community_id", "last_activity_at")
        }
        for talk in talks:
            if talk.title not in have and self.takes_part(
                talk.author, community
            ):
                have[talk.title] = self.talk(community, moderator, talk, have)

    def takes_part(self, key: str, community: Community) -> bool:
        """May this person write in the community (still, or again)?"""
        return access.can(self.people[key], "participate", community)

    def tags(
        self,
        community: Community,
        moderator: User,
        tags: Sequence[TagData],
    ) -> None:
        """The coordinators' tag list, each linked to its skill; tags
        already there keep what people have made of them."""
        have = set(
            Tag.objects.filter(community=community).values_list(
                "slug", flat=True
            )
        )
        for t in tags:
            if slugify(t.name) in have:
                continue
            [tag] = conversations.resolve_tags(
                actor=moderator, community=community, names=[t.name]
            )
            skill = (
                accounts.skill_get_or_create(name=t.skill) if t.skill else None
            )
            Tag.objects.filter(pk=tag.pk).update(
                description=t.description, skill=skill
            )

    def talk(
        self,
        community: Community,
        moderator: User,
        talk: Talk,
        have: dict[str, Conversation],
    ) -> Conversation:
        """One conversation with its answers, comments, votes, marks,
        flags, asks and moderation, backdated so lists look lived in."""
        asker = self.people[talk.author]
        start = self.ago(talk.days)
        line = _Timeline(start, self.now - timedelta(minutes=20))
        c = conversations.conversation_create(
            author=asker,
            community=community,
            title=talk.title,
            body=markdown(talk.body),
            kind=talk.kind,
            tags=list(talk.tags),
        )
        Revision.objects.filter(conversation=c, reply=None).update(
            created_at=start
        )
        replies: list[tuple[Answer, Reply, datetime]] = []
        for a in talk.answers:
            if not self.takes_part(a.author, community):
                continue
            when = line.at(start, a.hours)
            r = conversations.reply_create(
                author=self.people[a.author],
                conversation=c,
                body=markdown(a.body),
                experience=a.experience,
            )
            Reply.objects.filter(pk=r.pk).update(
                created_at=when, updated_at=when
            )
            Revision.objects.filter(reply=r).update(created_at=when)
            replies.append((a, r, when))
        self.remarks(c, None, talk.comments, start, line)
        self.votes(c, None, talk.up, 1, start, line)
        for a, r, when in replies:
            self.remarks(c, r, a.comments, when, line)
            self.votes(c, r, a.up, 1, when, line)
            self.votes(c, r, a.down, -1, when, line)
            self.worked(community, r, a.worked, when, line)
            if a.accepted:
                acceptor = (
                    asker
                    if access.can(asker, "participate", community)
                    else moderator
                )
                conversations.reply_accept(actor=acceptor, reply=r)
                line.at(when, 8)
            if a.flag:
                self.flag(c, r, a.flag, when, line)
        if talk.flag:
            self.flag(c, None, talk.flag, start, line)
        for key, reason in talk.asks:
            if self.takes_part(key, community):
                ask = conversations.ask_request_create(
                    actor=asker,
                    conversation=c,
                    person=self.people[key],
                    reason=reason,
                )
                AskRequest.objects.filter(pk=ask.pk).update(
                    created_at=line.at(start, 1, activity=False)
                )
        self.moderate(c, moderator, talk, have, line)
        Conversation.objects.filter(pk=c.pk).update(
            created_at=start,
            updated_at=line.latest,
            last_activity_at=line.latest,
            view_count=views(talk),
        )
        c.last_activity_at = line.latest
        return c

    def remarks(
        self,
        c: Conversation,
        reply: Reply | None,
        remarks: Sequence[Remark],
        base: datetime,
        line: _Timeline,
    ) -> None:
        for i, remark in enumerate(remarks):
            if not self.takes_part(remark.author, c.community):
                continue
            comment = conversations.comment_create(
                author=self.people[remark.author],
                conversation=c,
                reply=reply,
                body=remark.body,
            )
            Comment.objects.filter(pk=comment.pk).update(
                created_at=line.at(base, remark.hours or 2 * (i + 1))
            )

    def votes(
        self,
        c: Conversation,
        reply: Reply | None,
        keys: Sequence[str],
        value: int,
        base: datetime,
        line: _Timeline,
    ) -> None:
        stamps: dict[int, datetime] = {}
        for i, key in enumerate(keys):
            if not self.takes_part(key, c.community):
                continue
            user = self.people[key]
            if reply is None:
                conversations.vote(user=user, value=value, conversation=c)
            else:
                conversations.vote(user=user, value=value, reply=reply)
            stamps[user.pk] = line.at(base, 1.5 * (i + 1))
        cast = (
            Vote.objects.filter(conversation=c, reply=None)
            if reply is None
            else Vote.objects.filter(reply=reply)
        )
        _stamp(cast, stamps)

    def worked(
        self,
        community: Community,
        reply: Reply,
        keys: Sequence[str],
        base: datetime,
        line: _Timeline,
    ) -> None:
        stamps: dict[int, datetime] = {}
        for i, key in enumerate(keys):
            if not self.takes_part(key, community):
                continue
            user = self.people[key]
            conversations.reply_worked(user=user, reply=reply)
            stamps[user.pk] = line.at(base, 12 * (i + 1))
        _stamp(Worked.objects.filter(reply=reply), stamps)

    def flag(
        self,
        c: Conversation,
        reply: Reply | None,
        flag: tuple[str, str],
        base: datetime,
        line: _Timeline,
    ) -> None:
        key, reason = flag
        if not self.takes_part(key, c.community):
            return
        f = conversations.flag_create(
            user=self.people[key], conversation=c, reply=reply, reason=reason
        )
        Flag.objects.filter(pk=f.pk).update(
            created_at=line.at(base, 3, activity=False)
        )

    def moderate(
        self,
        c: Conversation,
        moderator: User,
        talk: Talk,
        have: dict[str, Conversation],
        line: _Timeline,
    ) -> None:
        """Merge, close or lock, after everything else happened."""
        into = have.get(talk.duplicate_of)
        if into is not None:
            conversations.conversation_merge(
                actor=moderator,
                conversation=c,
                into=into,
                reason=f"Asked before: the answers are under '{into.title}'.",
            )
            # The merge counts as activity on the original, not now.
            merged = line.at(line.latest, 6, activity=False)
            into.last_activity_at = max(into.last_activity_at, merged)
            Conversation.objects.filter(pk=into.pk).update(
                last_activity_at=into.last_activity_at
            )
        if talk.closed:
            conversations.conversation_close(
                actor=moderator, conversation=c, reason=talk.closed
            )
        if talk.locked:
            conversations.conversation_lock(
                actor=moderator,
                conversation=c,
                locked=True,
                reason=talk.locked,
            )

    # --- repertoire -----------------------------------------------------

    def repertoire(self, data: CommunityData) -> None:
        """Write each artifact of the community's repertoire that is not
        there yet (by title), with everything that happened to it.
        Artifacts already there, and all their parts, stay as they are."""
        community = Community.objects.get(slug=data.slug)
        pieces = REPERTOIRE.get(data.slug, ())
        have = {
            a.title: a
            for a in Artifact.objects.filter(
                community=community, title__in=[p.title for p in pieces]
            ).only("id", "title", "community_id")
        }
        for piece in pieces:
            if piece.title not in have:
                a = self.artifact(community, piece, have)
                if a is not None:
                    have[piece.title] = a

    def artifact(
        self, community: Community, piece: Piece, have: dict[str, Artifact]
    ) -> Artifact | None:
        """One artifact with its revisions, status, verification and
        marks, backdated so the repertoire looks kept over time; None
        when none of its owners takes part any more."""
        owners = [
            self.people[k]
            for k in piece.owners
            if self.takes_part(k, community)
        ]
        if not owners:
            return None
        start = self.ago(piece.days)
        latest = start
        if piece.captured_from:
            captured = self.capture(community, piece, owners, start)
            if captured is None:
                return None
            a, latest = captured
        else:
            a = repertoire.artifact_create(
                author=owners[0],
                community=community,
                title=piece.title,
                body=markdown(piece.body),
                kind=piece.kind,
                tags=list(piece.tags),
                status=DRAFT if piece.status == DRAFT else PUBLISHED,
                owners=owners,
                review_days=piece.review_days,
                message=piece.message or "First version",
            )
            _stamp_revision(a, start)
        body = markdown(piece.body)
        for edit in piece.edits:
            # A skipped edit's changes come with the next one.
            body = revise(body, edit)
            editor = self.people[edit.author]
            if not access.can(editor, "edit", a):
                continue
            number = a.revision
            a = repertoire.artifact_edit(
                actor=editor,
                artifact=a,
                base_revision=number,
                title=a.title,
                body=body,
                message=edit.message,
            )
            if a.revision > number:
                latest = self.ago(edit.days)
                _stamp_revision(a, latest)
        if piece.obsolete:
            replacement = have.get(piece.replaced_by)
            repertoire.artifact_mark_obsolete(
                actor=self.curator(community, a, owners),
                artifact=a,
                reason=piece.obsolete,
                replaced_by=replacement,
            )
        if piece.status == ARCHIVED:
            repertoire.artifact_set_status(
                actor=self.curator(community, a, owners),
                artifact=a,
                status=ARCHIVED,
            )
        verified = self.verify(a, piece)
        self.helped(community, a, piece, owners)
        Artifact.objects.filter(pk=a.pk).update(
            created_at=start,
            updated_at=max(latest, verified or latest),
            view_count=artifact_views(piece),
        )
        return a

    def capture(
        self,
        community: Community,
        piece: Piece,
        owners: list[User],
        start: datetime,
    ) -> tuple[Artifact, datetime] | None:
        """Capture a solved question the way a member does: a draft from
        the question and its accepted answer, tidied up, handed to its
        owners and published. None when the question is not there (or
        not solved), or something was captured from it already."""
        question = Conversation.objects.filter(
            community=community,
            title=piece.captured_from,
            accepted_reply__isnull=False,
        ).first()
        if question is None or (
            Artifact.objects.filter(
                source_type=ContentType.objects.get_for_model(Conversation),
                source_id=question.pk,
            ).exists()
        ):
            return None
        author = owners[0]
        a = repertoire.artifact_capture(actor=author, conversation=question)
        _stamp_revision(a, start)
        a = repertoire.artifact_edit(
            actor=author,
            artifact=a,
            base_revision=a.revision,
            title=piece.title,
            body=markdown(piece.body),
            tags=list(piece.tags),
            kind=piece.kind,
            message=piece.message or "Tidied up",
        )
        tidied = start + timedelta(hours=2)
        _stamp_revision(a, tidied)
        if len(owners) > 1:
            a = repertoire.artifact_set_owners(
                actor=author, artifact=a, owners=owners
            )
        if piece.status != DRAFT:
            a = repertoire.artifact_set_status(
                actor=author, artifact=a, status=PUBLISHED
            )
        return a, tidied

    def curator(
        self, community: Community, a: Artifact, owners: list[User]
    ) -> User:
        """Who retires or archives an artifact: an owner who still may,
        else a coordinator."""
        for user in owners:
            if access.can(user, "edit", a):
                return user
        return self.moderator(community, owners[0])

    def verify(self, a: Artifact, piece: Piece) -> datetime | None:
        """Verify as the owner (or coordinator) did back then: the
        interval counts from that day, so some verifications are fresh,
        some due soon and some expired."""
        if piece.verified is None:
            return None
        verifier = self.people[piece.verifier or piece.owners[0]]
        if not access.can(verifier, "verify", a):
            return None
        a = repertoire.artifact_verify(
            actor=verifier, artifact=a, days=piece.review_days
        )
        if a.verified_at is None or a.verified_until is None:
            return None
        when = self.ago(piece.verified)
        Artifact.objects.filter(pk=a.pk).update(
            verified_at=when,
            verified_until=when + (a.verified_until - a.verified_at),
        )
        return when

    def helped(
        self,
        community: Community,
        a: Artifact,
        piece: Piece,
        owners: list[User],
    ) -> None:
        """Members' marks that it helped them, spread over the time since
        it was written (owners cannot mark their own)."""
        mine = {user.pk for user in owners}
        stamps: dict[int, datetime] = {}
        joined = {s.key: s.days for s in self.plan.seats[community.slug]}
        days_ago = helped_days(piece, joined)
        for key, days in zip(piece.helped, days_ago, strict=True):
            user = self.people[key]
            if user.pk in mine or not (
                self.takes_part(key, community) and access.can(user, "view", a)
            ):
                continue
            repertoire.artifact_helped(user=user, artifact=a)
            stamps[user.pk] = self.ago(days)
        _stamp(Helped.objects.filter(artifact=a), stamps)


def _stamp_revision(a: Artifact, when: datetime) -> None:
    """Backdate an artifact's latest revision."""
    ArtifactRevision.objects.filter(artifact=a, number=a.revision).update(
        created_at=when
    )


def counts() -> dict[str, int]:
    """What the database holds: people, communities and their parts."""
    by_status = dict(
        Membership.objects.values_list("status").annotate(n=Count("pk"))
    )
    by_role = dict(
        Membership.objects.filter(status=Status.ACTIVE)
        .values_list("role")
        .annotate(n=Count("pk"))
    )
    talks = Conversation.objects.aggregate(
        conversations=Count("pk"),
        questions=Count("pk", filter=Q(kind=Topic.QUESTION)),
        discussions=Count("pk", filter=Q(kind=Topic.DISCUSSION)),
        solved=Count("pk", filter=Q(accepted_reply__isnull=False)),
        unanswered=Count(
            "pk",
            filter=Q(kind=Topic.QUESTION, reply_count=0, state=State.OPEN),
        ),
    )
    now = timezone.now()
    shelf = Artifact.objects.aggregate(
        artifacts=Count("pk"),
        artifacts_published=Count("pk", filter=Q(status=PUBLISHED)),
        artifacts_draft=Count("pk", filter=Q(status=DRAFT)),
        glossary_terms=Count(
            "pk", filter=Q(status=PUBLISHED, kind=Shelf.GLOSSARY)
        ),
        captured=Count("pk", filter=Q(source_id__isnull=False)),
    )
    # How fresh the published, current artifacts are; the review queues
    # show the due, expired and unverified ones to their owners.
    current = Artifact.objects.filter(status=PUBLISHED, obsolete=False)
    freshness = current.aggregate(
        artifacts_fresh=Count(
            "pk", filter=Q(verified_until__gt=now + DUE_SOON)
        ),
        artifacts_due=Count(
            "pk",
            filter=Q(
                verified_until__gt=now, verified_until__lte=now + DUE_SOON
            ),
        ),
        artifacts_expired=Count("pk", filter=Q(verified_until__lte=now)),
        artifacts_unverified=Count(
            "pk", filter=Q(verified_until__isnull=True)
        ),
    )
    return {
        "departments": Department.objects.count(),
        "people": User.objects.count(),
        "communities": Community.objects.count(),
        "memberships": by_status.get(Status.ACTIVE, 0),
        "coordinators": by_role.get(Role.COORDINATOR, 0),
        "core": by_role.get(Role.CORE, 0),
        "members": by_role.get(Role.MEMBER, 0),
        "newcomers": by_role.get(Role.NEWCOMER, 0),
        "pending": by_status.get(Status.PENDING, 0),
        "declined": by_status.get(Status.DECLINED, 0),
        "left": by_status.get(Status.LEFT, 0),
        "invitations": Invitation.objects.count(),
        "open_invitations": Invitation.objects.filter(
            accepted_at__isnull=True
        ).count(),
        "skills": Skill.objects.count(),
        "expertise": Expertise.objects.count(),
        "verified": Expertise.objects.filter(
            verified_at__isnull=False
        ).count(),
        "endorsements": Endorsement.objects.count(),
        "helpers": User.objects.filter(available_to_help=True).count(),
        **talks,
        "answers": Reply.objects.count(),
        "comments": Comment.objects.count(),
        "votes": Vote.objects.count(),
        "tags": Tag.objects.count(),
        "flags": Flag.objects.filter(state=FlagState.OPEN).count(),
        **shelf,
        **freshness,
        "artifact_revisions": ArtifactRevision.objects.count(),
        "helped": Helped.objects.count(),
        "activities": Activity.objects.count(),
    }


def build(stdout: Any = None) -> dict[str, int]:
    """Load the demo organisation in one transaction and return
    :func:`counts`, plus ``added``: activity records written by this run
    (0 when everything was already there).

    Shows a progress bar on ``stdout`` when given.
    """
    before = Activity.objects.count()
    p = plan()
    with _progress(stdout) as progress, transaction.atomic():
        _Builder(p, progress).run()
    result = counts()
    result["added"] = result["activities"] - before
    return result


def report(result: dict[str, int], stdout: Any = None) -> None:
    """Print what was loaded and the demo sign-ins."""
    out = console(stdout)
    verb = (
        "Loaded" if result.get("added") else "Already loaded; nothing added:"
    )
    out.print(
        f"{verb} {result['people']} people, {result['communities']} "
        f"communities, {result['memberships']} memberships, "
        f"{result['pending']} pending requests, {result['expertise']} "
        f"expertise entries, {result['endorsements']} endorsements; "
        f"{result['conversations']} conversations ({result['questions']} "
        f"questions, {result['discussions']} discussions) with "
        f"{result['answers']} answers, {result['comments']} comments and "
        f"{result['votes']} votes: {result['solved']} solved, "
        f"{result['unanswered']} unanswered.",
        soft_wrap=True,
    )
    out.print(
        f"Repertoires: {result['artifacts']} artifacts "
        f"({result['artifacts_published']} published, "
        f"{result['artifacts_draft']} drafts, {result['glossary_terms']} "
        f"glossary terms, {result['captured']} captured from solved "
        f"questions) with {result['artifact_revisions']} revisions and "
        f'{result["helped"]} "this helped me" marks; of those in use, '
        f"{result['artifacts_fresh']} verified, {result['artifacts_due']} "
        f"due for review, {result['artifacts_expired']} expired and "
        f"{result['artifacts_unverified']} never verified.",
        soft_wrap=True,
    )
    table = Table(
        "Sign in as",
        "Name",
        "In Safety & Quality",
        title=f"Demo sign-ins; the password for everyone is {PASSWORD}",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        show_edge=False,
    )
    for row in SIGN_INS:
        table.add_row(*row)
    out.print(table)
