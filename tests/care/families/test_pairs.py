"""Cadres are paired with families and visit them; money from their own pockets never touches a
fund, fund money follows the file's approval; a pair not visited for months is flagged, and the
三不让 indicator lists the families nobody visited this quarter."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.care.families.factories import Carers, make_carers, make_file
from tests.conftest import Tree
from tests.org.factories import make_staff
from xinsheng.care.choices import FileStatus, MoneySource
from xinsheng.care.families import pairing, selectors
from xinsheng.care.families.pairing import VisitData
from xinsheng.care.families.todo import families_todo
from xinsheng.care.models import CareVisit, FileEvent, Payment
from xinsheng.care.money.selectors import fund_balance
from xinsheng.core.errors import Conflict, InvalidInput
from xinsheng.org.choices import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def carers(tree: Tree) -> Carers:
    return make_carers(tree)


def test_the_first_pair_makes_an_approved_file_active(tree: Tree, carers: Carers) -> None:
    file = make_file(tree, carers, status=FileStatus.APPROVED)
    pairing.pair_create(actor=carers.union, file=file, cadres=[carers.cadre])
    file.refresh_from_db()
    assert file.status == FileStatus.ACTIVE
    assert list(file.events.values_list("action", flat=True))[-2:] == ["activate", "pair"]
    with pytest.raises(InvalidInput, match="已与该家庭结对"):
        pairing.pair_create(actor=carers.union, file=file, cadres=[carers.cadre])


def test_a_worker_who_is_no_cadre_is_not_paired(tree: Tree, carers: Carers) -> None:
    file = make_file(tree, carers, status=FileStatus.APPROVED)
    with pytest.raises(InvalidInput, match="不是干部"):
        pairing.pair_create(actor=carers.union, file=file, cadres=[file.person])
    assert not file.pairs.exists()


def test_personal_money_is_counted_apart_and_never_touches_a_fund(
    tree: Tree, carers: Carers
) -> None:
    file = make_file(tree, carers)
    visit = pairing.visit_record(
        actor=carers.cadre_user,
        file=file,
        data=VisitData(
            visited_on=timezone.localdate(), goods="米面油", goods_value="300", amount="500"
        ),
    )
    payment = Payment.objects.get(visit=visit)
    assert payment.source == MoneySource.PERSONAL
    assert payment.fund is None
    assert payment.amount == Decimal("500")
    assert fund_balance(carers.fund) == Decimal("10000")
    assert list(visit.visitors.all()) == [carers.cadre]


def test_fund_money_follows_the_files_approval_and_lowers_the_balance(
    tree: Tree, carers: Carers
) -> None:
    file = make_file(tree, carers)
    approval = FileEvent.objects.get(file=file, action="approve")
    pairing.visit_record(
        actor=carers.union,
        file=file,
        data=VisitData(visited_on=timezone.localdate(), amount="2000", source=MoneySource.FUND),
    )
    payment = Payment.objects.get()
    assert payment.file_approval == approval
    assert payment.fund == carers.fund
    assert fund_balance(carers.fund) == Decimal("8000")


def test_fund_money_beyond_the_balance_or_from_a_cadre_is_refused_and_nothing_written(
    tree: Tree, carers: Carers
) -> None:
    file = make_file(tree, carers)
    with pytest.raises(Conflict, match="余额"):
        pairing.visit_record(
            actor=carers.union,
            file=file,
            data=VisitData(
                visited_on=timezone.localdate(), amount="20000", source=MoneySource.FUND
            ),
        )
    with pytest.raises(InvalidInput, match="须由工会经办"):
        pairing.visit_record(
            actor=carers.cadre_user,
            file=file,
            data=VisitData(visited_on=timezone.localdate(), amount="200", source="fund"),
        )
    assert not CareVisit.objects.exists()
    assert not Payment.objects.exists()


def test_a_visit_by_someone_not_paired_or_in_the_future_is_refused(
    tree: Tree, carers: Carers
) -> None:
    file = make_file(tree, carers)
    with pytest.raises(InvalidInput, match="未与该家庭结对"):
        pairing.visit_record(
            actor=carers.union,
            file=file,
            data=VisitData(visited_on=timezone.localdate(), visitors=[file.person]),
        )
    with pytest.raises(InvalidInput, match="不能晚于今天"):
        pairing.visit_record(
            actor=carers.union,
            file=file,
            data=VisitData(visited_on=timezone.localdate() + dt.timedelta(days=1)),
        )
    assert not CareVisit.objects.exists()


def test_a_pair_without_a_visit_for_months_is_flagged_until_visited(
    tree: Tree, carers: Carers
) -> None:
    file = make_file(tree, carers, status=FileStatus.APPROVED)
    today = timezone.localdate()
    pairing.pair_create(
        actor=carers.union,
        file=file,
        cadres=[carers.cadre],
        starts_on=today - dt.timedelta(days=200),
    )
    assert [p.file_id for p in selectors.pairs_overdue_for(actor=carers.union)] == [file.pk]
    items = {str(item.label): item.count for item in families_todo(actor=carers.union)}
    assert items["超期未走访的帮扶对子"] == 1

    pairing.visit_record(actor=carers.union, file=file, data=VisitData(visited_on=today))

    assert not selectors.pairs_overdue_for(actor=carers.union).exists()


def test_the_pledge_shows_an_unvisited_family_and_a_visit_clears_it(
    tree: Tree, carers: Carers
) -> None:
    file = make_file(tree, carers)
    other_company = make_staff(tree.company2, Role.UNION)

    pledge = selectors.unvisited_this_quarter(actor=carers.union, unit=tree.mine1)
    assert pledge.count == 1
    assert pledge.target == 0
    assert [family.pk for family in pledge.families] == [file.pk]
    assert selectors.unvisited_this_quarter(actor=other_company).count == 0
    client = Client()
    client.force_login(carers.union)
    page = client.get(reverse("care_families:list"), {"unvisited": "on"}).content.decode()
    assert file.person.name in page

    pairing.visit_record(
        actor=carers.cadre_user, file=file, data=VisitData(visited_on=timezone.localdate())
    )

    pledge = selectors.unvisited_this_quarter(actor=carers.union, unit=tree.mine1)
    assert pledge.count == 0
    assert pledge.families == []


def test_a_visit_entered_on_the_phone_page_is_recorded(tree: Tree, carers: Carers) -> None:
    file = make_file(tree, carers)
    client = Client()
    client.force_login(carers.cadre_user)
    form = client.get(reverse("care_families:visit", args=[file.pk]))
    assert "赵建国" in form.content.decode()
    response = client.post(
        reverse("care_families:visit", args=[file.pk]),
        {
            "visited_on": timezone.localdate().isoformat(),
            "goods": "棉被",
            "goods_value": "260",
            "amount": "300",
            "source": "personal",
            "note": "孩子学习情况良好。",
        },
    )
    assert response.status_code == 302
    visit = CareVisit.objects.get()
    assert visit.goods == "棉被"
    page = client.get(reverse("care_families:detail", args=[file.pk])).content.decode()
    assert "孩子学习情况良好。" in page
    assert "干部个人慰问金300.00元" in page


def test_closing_a_file_ends_its_pairs(tree: Tree, carers: Carers) -> None:
    file = make_file(tree, carers)
    pairing.pair_end(actor=carers.union, pair=file.pairs.get())
    assert file.pairs.get().ends_on == timezone.localdate()
    file = make_file(tree, carers, name="孙红")
    client = Client()
    client.force_login(carers.head)
    client.post(reverse("care_families:step", args=[file.pk, "close"]), {"reason": "调离本矿"})
    file.refresh_from_db()
    assert file.status == FileStatus.CLOSED
    assert file.pairs.get().ends_on is not None
