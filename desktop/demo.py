"""Demo data: a branch, three users and as many realistic employees as asked for.

Everything goes through the services (hire_many validates every row; the outbox and the
audit chain see the demo like any other writes). Deterministic for a given seed and store
state; calling it again adds more employees with fresh numbers.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select

from desktop import idcard
from desktop.errors import StoreNotInitialised
from desktop.services import auth, branch
from desktop.services import employees as employee_service
from desktop.services.auth import Actor
from desktop.store import Store
from desktop.store.models import Employee
from desktop.store.unit_of_work import unit_of_work

DEMO_USER = "demo"
DEMO_PASSWORD = "branchdesk-demo"
# (username, role); every demo user has DEMO_PASSWORD.
DEMO_USERS = ((DEMO_USER, "admin"), ("clerk1", "clerk"), ("manager1", "manager"))
DEMO_ACTOR = Actor(DEMO_USER, "admin")

CHUNK = 5_000  # rows per hire_many call (one transaction each): memory stays flat
LEAVE_SHARE = 0.05
FIRST_HIRE = dt.date(2012, 1, 1)
_NUMBER = re.compile(r"^E(\d+)$")

# ---- the pools the generator draws from ---------------------------------------------------

# Common surnames, most frequent first (weights roughly follow their real shares).
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶"
    "程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛"
    "郝龚邵万钱严覃武戴莫孔向汤"
)
SURNAME_WEIGHTS = tuple(max(1.0, 12.0 - i * 0.25) for i in range(len(SURNAMES)))
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "慕容")
GIVEN_MALE = "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆旭宁龙林洋阳亮成东峰建文志海国兵博晨昊然轩泽睿翔坤铭哲"
GIVEN_FEMALE = "芳娜敏静丽艳娟霞秀燕玲桂丹萍红玉兰婷雪慧琳颖倩洁佳梅莉欣怡悦晶璐瑶雯蕾薇琪萱诗涵梦"
GIVEN_ANY = "文华明晓春金嘉子思雨佳欣宇安一心"

# Real 6-digit administrative division codes (district level) and how often each appears.
REGIONS = (
    ("310101", 6), ("310104", 5), ("310105", 4), ("310106", 4), ("310107", 4), ("310109", 3),
    ("310110", 4), ("310112", 5), ("310115", 7),                     # 上海
    ("110101", 2), ("110102", 2), ("110105", 2), ("110108", 2),        # 北京
    ("440103", 2), ("440104", 2), ("440106", 2),                       # 广州
    ("440303", 2), ("440304", 2), ("440305", 2),                       # 深圳
    ("510104", 2), ("510105", 1), ("510107", 2),                       # 成都
    ("420102", 2), ("420106", 2),                                      # 武汉
    ("330102", 2), ("330106", 2),                                      # 杭州
    ("320102", 2), ("320106", 2), ("320508", 2),                       # 南京, 苏州
    ("340102", 2), ("370102", 1), ("410102", 2), ("430102", 2),        # 合肥 济南 郑州 长沙
    ("500103", 2), ("610102", 1), ("120101", 1), ("360102", 2),        # 重庆 西安 天津 南昌
)

# department code -> (share of staff, share of women, ((position, weight, min, max), ...))
DEPARTMENTS = {
    "collection": (0.60, 0.45, (
        ("催收专员", 66, 5_500, 9_000), ("高级催收专员", 22, 8_000, 13_000),
        ("催收组长", 9, 11_000, 18_000), ("催收经理", 3, 16_000, 25_000))),
    "sales": (0.25, 0.45, (
        ("销售代表", 60, 6_000, 10_000), ("客户经理", 30, 9_000, 16_000),
        ("销售主管", 10, 14_000, 22_000))),
    "finance": (0.15, 0.65, (
        ("会计", 45, 7_000, 12_000), ("出纳", 35, 5_500, 8_500),
        ("财务主管", 15, 13_000, 20_000), ("财务经理", 5, 18_000, 25_000))),
}

MOBILE_PREFIXES = ("130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151",
                   "152", "153", "155", "156", "157", "158", "159", "166", "173", "176", "177",
                   "180", "181", "182", "183", "185", "186", "187", "188", "189", "191", "198",
                   "199")
# Debit card BINs of the big banks (all start with 62) and their card number lengths.
BANK_BINS = (("622202", 19), ("622848", 19), ("621700", 19), ("621661", 19), ("622260", 19),
             ("621483", 16), ("622588", 16), ("622908", 18), ("621226", 19), ("623668", 19))

LEAVE_REASONS = ("个人原因", "家庭原因", "另有职业发展", "回老家发展", "继续深造", "薪资待遇",
                 "合同到期不再续签", "身体原因", "工作地点变动", "创业")


@dataclass(frozen=True)
class DemoInfo:
    branch: branch.BranchInfo
    branch_created: bool
    users_created: tuple[str, ...]
    employees_added: int
    left: int
    first_employee_no: str | None
    last_employee_no: str | None


# ---- entry point ---------------------------------------------------------------------------

def create_demo(store: Store, employees: int, *, seed: int = 7, branch_code: str = "SH01",
                branch_name: str = "上海分公司", actor: Actor | None = None,
                today: dt.date | None = None,
                progress: Callable[[int, int], None] | None = None) -> DemoInfo:
    """Initialise the branch if needed, add the demo users that are missing, hire `employees`
    more employees (about 5% of whom have since left). `actor` is who the audit log names
    (default: the demo admin); `progress(done, total)` is called after each chunk."""
    if employees < 0:
        raise ValueError("employees must be 0 or more")
    actor = actor or DEMO_ACTOR
    today = today or dt.date.today()
    try:
        info, created = branch.current_branch(store), False
    except StoreNotInitialised:
        info, created = branch.init_branch(store, actor, branch_code, branch_name), True

    existing_users = {u["username"] for u in auth.list_users(store)}
    users_created = []
    for username, role in DEMO_USERS:
        if username not in existing_users:
            auth.add_user(store, actor, username, role, DEMO_PASSWORD)
            users_created.append(username)

    taken = _taken(store, info.id)
    start = taken.next_number
    rng = random.Random(f"branchdesk-demo:{seed}:{start}")
    generator = _Generator(rng, taken, today)
    left = 0
    done = 0
    while done < employees:
        size = min(CHUNK, employees - done)
        rows, leavers = generator.chunk(start + done, size)
        employee_service.hire_many(store, actor, rows)
        left += _record_leaves(store, actor, info.id, leavers)
        done += size
        if progress:
            progress(done, employees)
    first = _number(start) if employees else None
    last = _number(start + employees - 1) if employees else None
    return DemoInfo(info, created, tuple(users_created), employees, left, first, last)


def _number(n: int) -> str:
    return f"E{n:06d}"


# ---- what the store already holds ----------------------------------------------------------

@dataclass
class _Taken:
    next_number: int
    phones: set[str]
    id_numbers: set[str]
    bank_accounts: set[str]


def _taken(store: Store, branch_id: str) -> _Taken:
    """Numbers, phones, ID numbers and accounts in use, so new ones never repeat them."""
    highest = 0
    phones, id_numbers, accounts = set(), set(), set()
    with store.read() as s:
        rows = s.execute(select(Employee.employee_no, Employee.phone, Employee.id_number,
                                Employee.bank_account).where(Employee.branch_id == branch_id))
        for number, phone, id_number, account in rows:
            match = _NUMBER.match(number)
            if match:
                highest = max(highest, int(match.group(1)))
            phones.add(phone)
            id_numbers.add(id_number)
            accounts.add(account)
    return _Taken(highest + 1, phones, id_numbers, accounts)


# ---- the generator -------------------------------------------------------------------------

class _Generator:
    def __init__(self, rng: random.Random, taken: _Taken, today: dt.date):
        self.rng = rng
        self.taken = taken
        self.today = today
        self.dept_codes = tuple(DEPARTMENTS)
        self.dept_weights = tuple(share for share, _w, _p in DEPARTMENTS.values())
        self.regions = tuple(code for code, _w in REGIONS)
        self.region_weights = tuple(w for _c, w in REGIONS)

    def chunk(self, first: int, size: int) -> tuple[list[dict], dict[str, tuple[dt.date, str]]]:
        """`size` hire rows numbered from `first`, and who of them has left (number ->
        (leave date, reason))."""
        rows, leavers = [], {}
        for n in range(first, first + size):
            row = self.employee(_number(n))
            rows.append(row)
            hired = dt.date.fromisoformat(row["hire_date"])
            if (self.today - hired).days > 60 and self.rng.random() < LEAVE_SHARE:
                leavers[row["employee_no"]] = (
                    hired + dt.timedelta(days=self.rng.randint(30, (self.today - hired).days)),
                    self.rng.choice(LEAVE_REASONS))
        return rows, leavers

    def employee(self, number: str) -> dict:
        rng = self.rng
        dept = rng.choices(self.dept_codes, self.dept_weights)[0]
        _share, women, positions = DEPARTMENTS[dept]
        gender = "F" if rng.random() < women else "M"
        position, _w, low, high = rng.choices(positions, [p[1] for p in positions])[0]
        birth = self.birth_date()
        hired = self.hire_date(birth)
        return {
            "employee_no": number,
            "name": self.name(gender),
            "gender": gender,
            "id_number": self.id_number(birth, gender),
            "phone": self.phone(),
            "department": dept,
            "position": position,
            "hire_date": hired.isoformat(),
            "base_salary": f"{rng.randrange(low, high + 1, 10)}.00",
            "bank_account": self.bank_account(),
        }

    def name(self, gender: str) -> str:
        rng = self.rng
        own = GIVEN_FEMALE if gender == "F" else GIVEN_MALE
        if rng.random() < 0.01:
            return rng.choice(COMPOUND_SURNAMES) + rng.choice(own)
        surname = rng.choices(SURNAMES, SURNAME_WEIGHTS)[0]
        if rng.random() < 0.3:
            return surname + rng.choice(own)
        first = rng.choice(own) if rng.random() < 0.6 else rng.choice(GIVEN_ANY)
        return surname + first + rng.choice(own)

    def birth_date(self) -> dt.date:
        year = min(2003, int(self.rng.triangular(1965, 2004, 1993)))
        return dt.date(year, 1, 1) + dt.timedelta(days=self.rng.randrange(365))

    def hire_date(self, birth: dt.date) -> dt.date:
        """2012 or later, at 18 or older, never after today; recent hires more likely."""
        adult = dt.date(birth.year + 18, birth.month, min(birth.day, 28))
        low = max(FIRST_HIRE, adult)
        span = max(0, (self.today - low).days)
        return low + dt.timedelta(days=int(span * self.rng.random() ** 0.7))

    def id_number(self, birth: dt.date, gender: str) -> str:
        while True:
            region = self.rng.choices(self.regions, self.region_weights)[0]
            number = idcard.make(region, birth, self.rng.randrange(500), gender)
            if number not in self.taken.id_numbers:
                self.taken.id_numbers.add(number)
                return number

    def phone(self) -> str:
        while True:
            number = self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if number not in self.taken.phones:
                self.taken.phones.add(number)
                return number

    def bank_account(self) -> str:
        while True:
            bin_, length = self.rng.choice(BANK_BINS)
            body = bin_ + "".join(str(self.rng.randrange(10))
                                  for _ in range(length - len(bin_) - 1))
            number = body + _luhn_digit(body)
            if number not in self.taken.bank_accounts:
                self.taken.bank_accounts.add(number)
                return number


def _luhn_digit(body: str) -> str:
    """The check digit that makes body + digit pass the Luhn test (as real card numbers do)."""
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str(-total % 10)


# ---- leaves --------------------------------------------------------------------------------

def _record_leaves(store: Store, actor: Actor, branch_id: str,
                   leavers: dict[str, tuple[dt.date, str]]) -> int:
    """Record many leaves in one transaction, exactly as employees.leave records each one
    (the row update audited as "leave", plus its append-only history event)."""
    if not leavers:
        return 0
    actor.require("clerk", "recording a leave")
    numbers = list(leavers)
    count = 0
    with unit_of_work(store, actor.audit_name) as uow:
        for start in range(0, len(numbers), 500):
            batch = numbers[start:start + 500]
            rows = uow.session.scalars(
                select(Employee).where(Employee.branch_id == branch_id,
                                       Employee.employee_no.in_(batch))
                .order_by(Employee.employee_no))
            for emp in rows:
                when, reason = leavers[emp.employee_no]
                if emp.status != "active" or when < emp.hire_date:
                    continue
                uow.update(emp, {"status": "left", "leave_date": when, "leave_reason": reason},
                           action="leave")
                employee_service._event(uow, emp, "leave", when, reason)
                count += 1
    return count
