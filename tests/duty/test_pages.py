"""Duty's pages read by people: the roster as a week and a month with what each shift lacks, the
pattern and the optimiser from the page (its progress, then its roster to publish), "my duties"
with the one tap, a swap refused with the rule on the page, the posture panel's shortfall, the
directory and the home page saying who is on duty now, the duty table out to Excel and Word and
back in with a preview."""

import io
from datetime import date, datetime, timedelta

from django.urls import reverse
from docx import Document
from openpyxl import Workbook, load_workbook

from shouwang.core.choices import Role
from shouwang.core.models import Person
from shouwang.duty import services
from shouwang.duty.choices import Post, PostureLevel
from shouwang.duty.models import Assignment, Roster, SolveRun, SwapRequest
from tests.conftest import make_user

from .conftest import CN, FIRST, NOW


def test_the_roster_week_shows_names_in_cells_and_the_month_every_day(login, org, published, crew):
    client = login(org.user("office1"))
    page = client.get(published.get_absolute_url()).content.decode()
    week = page.split('id="roster-grid"')[1].split("</table>")[0]
    # the week from Monday: this one begins with the roster on Tuesday 1 December
    assert week.count('class="day"') == 6 and "12-01" in week and "12-06" in week and "12-07" not in week
    assert crew[0].name in week and "早班" in week and "符合全部规则" in page
    month = client.get(published.get_absolute_url() + "?view=month").content.decode()
    assert month.count('class="day"') == 28
    nxt = client.get(published.get_absolute_url() + "?week=2026-12-09").content.decode()
    grid = nxt.split('id="roster-grid"')[1].split("</table>")[0]
    assert grid.count('class="day"') == 7 and "12-07" in grid and "12-13" in grid and "12-01" not in grid


def test_a_short_shift_is_red_with_what_it_lacks(login, org, published, crew):
    services.stand_down(Assignment.objects.live().get(roster=published, person=crew[0], day=FIRST + timedelta(days=1)),
                        reason="病假", user=org.user("office1"))
    page = login(org.user("office1")).get(published.get_absolute_url()).content.decode()
    assert 'class="cell short"' in page and "巡逻岗：需2人，已排1人" in page
    assert "违反规则1处" in page and "每班需求人数：需2人、已排1人（12-02 早班）" in page


def test_the_office_generates_runs_the_optimiser_and_publishes_from_the_pages(login, org, team, owner, clock, crew):
    client = login(org.user("office1"))
    response = client.post(reverse("duty:roster_create"), {
        "jurisdiction": org.c1.pk, "name": "十二月巡防", "starts_on": "2026-12-01", "days": 14, "team": team.pk,
        "owner": owner.pk, "layout": "three_shifts", "post": "patrol", "per_shift": 2, "min_rest_hours": 11,
        "max_shifts_per_7_days": 6, "members": [p.pk for p in crew]})
    assert response.status_code == 302, response.context["form"].errors
    roster = Roster.objects.get(name="十二月巡防")
    history = client.get(roster.get_absolute_url()).content.decode()  # its rules in words, shifts by name
    assert "不得夜班后次日接早班" in history and "night" not in history.split('class="history"')[-1]
    groups = {f"team_{i + 1}": [crew[2 * i].pk, crew[2 * i + 1].pk] for i in range(4)}
    assert client.post(reverse("duty:roster_generate", args=[roster.pk]),
                       {"pattern": "four_teams", **groups}).status_code == 302
    assert Assignment.objects.filter(roster=roster).count() == 14 * 6
    response = client.post(reverse("duty:roster_solve", args=[roster.pk]), {"seconds": 3, "workers": 2})
    run = SolveRun.objects.get(roster=roster)
    assert response["Location"] == run.get_absolute_url()
    page = client.get(run.get_absolute_url()).content.decode()
    assert 'role="progressbar"' in page and 'hx-trigger="every 1s"' in page and "等待开始" in page
    services.run_solve(run.pk)  # the background task's body (a thread when embedded)
    partial = client.get(run.get_absolute_url(), HTTP_HX_REQUEST="true")
    assert partial["HX-Refresh"] == "true" and b"<html" not in partial.content
    page = client.get(run.get_absolute_url()).content.decode()
    assert "校验未发现违反规则" in page and 'id="publish-run"' in page and 'id="roster-grid"' in page
    assert client.post(reverse("duty:solverun_apply", args=[run.pk]), {"publish": "1"}).status_code == 302
    roster.refresh_from_db()
    assert roster.is_published


def test_a_patrol_member_sees_his_duties_confirms_and_a_swap_refused_shows_the_rule(login, org, published, crew,
                                                                                    clock):
    client = login(org.user("patrol1"))  # crew[0]: early shift 06:00-14:00 today
    mine = client.get(reverse("duty:mine")).content.decode()
    assert "我已到岗" in mine and mine.count("data-assignment") >= 6
    today = Assignment.objects.live().get(roster=published, person=crew[0], day=FIRST)
    assert client.post(reverse("duty:assignment_confirm", args=[today.pk]), {"next": "/duty/mine/"}).status_code == 302
    assert Assignment.objects.get(pk=today.pk).confirmed_at is not None
    third = Assignment.objects.live().get(roster=published, person=crew[0], day=FIRST + timedelta(days=4))  # night
    response = client.post(reverse("duty:assignment_swap", args=[third.pk]), {"colleague": crew[6].pk, "reason": "有事"})
    swap = SwapRequest.objects.get()
    assert response["Location"] == swap.get_absolute_url()
    page = client.get(swap.get_absolute_url()).content.decode()
    assert "未准" in page and "不予同意：" in page and swap.refusal in page


def test_the_posture_panel_flags_the_shortfall(login, org, posture_c, published, crew, clock):
    services.stand_down(Assignment.objects.live().get(roster=published, person=crew[0], day=date(2026, 12, 3)),
                        reason="病假", user=org.user("office1"))
    services.set_posture(node=org.street, level=PostureLevel.ENHANCED, starts_at=datetime(2026, 12, 2, tzinfo=CN),
                         ends_at=datetime(2026, 12, 5, tzinfo=CN), reason="展会", user=org.user("leader"))
    page = login(org.user("leader")).get(reverse("duty:posture_panel") + f"?node={org.c1.pk}").content.decode()
    assert "1天缺人" in page and 'data-day="2026-12-03" data-force="full_time" data-short="1"' in page
    assert '<b id="short-days">12-03 星期四</b>' in page  # which day, said at the top (a phone scrolls 30 cards)
    assert "中班 1/2 缺1人" in page and page.count("posture-enhanced") >= 3


def test_the_directory_and_the_home_page_say_who_is_on_duty_now(login, org, duty24, clock):
    leader = Assignment.objects.get(roster=duty24, day=FIRST, post=Post.LEADER)
    client = login(org.user("office1"))
    page = client.get(reverse("core:directory", args=[org.c1.pk])).content.decode()
    assert "当前在岗" in page and leader.person.name in page and "带班领导" in page
    grid_page = client.get(reverse("core:directory", args=[org.grid.pk])).content.decode()
    assert leader.person.name in grid_page  # a grid's directory: its community's duty answers for it
    home = client.get("/").content.decode()
    assert "当前在岗" in home and leader.person.name in home
    # a grid worker of a grid below: the community's leader on duty is whom he calls, first
    below = login(make_user("gridbelow", Role.GRID_WORKER, org.grid))
    now = below.get(reverse("duty:now")).content.decode()
    assert leader.person.name in now and now.index(leader.person.name) < now.index("值班员")


def test_my_duties_tile_offers_the_one_tap(login, org, duty24, clock):
    officer = Assignment.objects.get(roster=duty24, day=FIRST, post=Post.DUTY_OFFICER)
    assert officer.person.user == org.user("office1")
    home = login(org.user("office1")).get("/").content.decode()
    assert "本周我的值班" in home and reverse("duty:assignment_confirm", args=[officer.pk]) in home


def test_dutys_home_tiles_read_in_one_query_and_one_more_for_a_posture_in_force(rf, org, duty24, clock):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from shouwang.core.home import Home
    from shouwang.duty import tiles

    def read():
        request = rf.get("/")
        request.user = org.user("office1")
        home = Home(request)
        assert home.oversees  # the roles are read once for the whole page, before the tiles
        with CaptureQueriesContext(connection) as queries:
            now, mine = tiles.on_duty_now(home), tiles.my_duties(home)
        return len(queries), now, mine

    count, now, mine = read()
    leader = Assignment.objects.get(roster=duty24, day=FIRST, post=Post.LEADER)
    assert count == 1 and now.context["rows"][0] == leader and now.context["posture"] is None
    assert [a.day for a in mine.context["rows"]] == [FIRST, FIRST + timedelta(days=4)]  # one day in four
    posture = services.set_posture(node=org.street, level=PostureLevel.ENHANCED, starts_at=NOW - timedelta(hours=1),
                                   ends_at=NOW + timedelta(days=1), reason="节日加强", user=org.user("leader"))
    count, now, mine = read()
    assert count == 2 and now.context["posture"] == posture and now.context["posture"].jurisdiction == org.street


def test_the_duty_table_goes_out_to_excel_and_word_and_comes_back_in(login, org, duty24, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    client = login(org.user("office1"))
    sheet = load_workbook(io.BytesIO(client.get(reverse("duty:roster_export", args=[duty24.pk])).content)).active
    rows = list(sheet.values)
    assert rows[0] == ("日期", "星期", "带班领导", "值班员")
    first = Assignment.objects.filter(roster=duty24, day=FIRST)
    assert rows[1][0].date() == FIRST and rows[1][1] == "星期二"
    assert rows[1][2] == first.get(post=Post.LEADER).person.name and rows[1][3] == first.get(post=Post.DUTY_OFFICER).person.name
    doc = Document(io.BytesIO(client.get(reverse("duty:roster_print", args=[duty24.pk])).content))
    section = doc.sections[0]
    assert section.page_width > section.page_height  # A4 landscape
    assert doc.tables[0].rows[1].cells[0].text == "12月1日" and len(doc.tables[0].rows) == 15
    # an office's own table: a title row, text dates, two officers in one cell, one unknown name
    draft = services.create_roster(node=org.c1, name="一社区值班表（导入）", starts_on=FIRST, days=3,
                                   shifts=duty24.shifts, demand=duty24.demand, rules=duty24.rules,
                                   members=list(duty24.members.all()), leaders=list(duty24.leaders.all()),
                                   user=org.user("office1"))
    wb = Workbook()
    ws = wb.active
    ws.append(["一社区12月值班表"])
    ws.append(["日期", "带班领导", "值班员"])
    ws.append(["2026年12月1日", "领导0", "值班员0、值班员1"])
    ws.append(["2026.12.2", "领导1", "查无此人"])
    ws.append(["2026-12-03", "领导2", "值班员2"])
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "值班表.xlsx"
    response = client.post(reverse("duty:roster_import", args=[draft.pk]), {"file": out})
    assert response.status_code == 302
    preview = client.get(response["Location"]).content.decode()
    assert "读取3天：有效2天共5个班次，1天有错误。" in preview and "查无此人：您的辖区内没有此人。" in preview
    assert not Assignment.objects.filter(roster=draft).exists()  # the preview writes nothing
    done = client.post(response["Location"], {"confirm": "1", "only_valid": "1"})
    assert done.status_code == 302
    names = sorted(Assignment.objects.filter(roster=draft, day=FIRST).values_list("person__name", flat=True))
    assert names == ["值班员0", "值班员1", "领导0"]
    assert not Assignment.objects.filter(roster=draft, day=FIRST + timedelta(days=1)).exists()


def test_the_office_takes_a_person_off_and_fills_the_shift_from_the_pages(login, org, published, crew):
    client = login(org.user("office1"))
    absent = Assignment.objects.live().get(roster=published, person=crew[0], day=date(2026, 12, 2))
    page = client.get(absent.get_absolute_url()).content.decode()
    assert 'id="stand-down-form"' in page
    assert client.post(reverse("duty:assignment_stand_down", args=[absent.pk]), {"reason": "病假"}).status_code == 302
    page = client.get(published.get_absolute_url() + "?week=2026-12-02").content.decode()
    assert 'id="fill-form"' in page and 'value="2026-12-02"' in page
    refused = client.post(reverse("duty:roster_fill", args=[published.pk]), {
        "day": "2026-12-02", "shift": "early", "post": Post.PATROL, "person": crew[4].pk}, follow=True)
    assert "不予同意：" in refused.content.decode()
    spare = Person.objects.create(jurisdiction=org.c1, name="备班")
    done = client.post(reverse("duty:roster_fill", args=[published.pk]), {
        "day": "2026-12-02", "shift": "early", "post": Post.PATROL, "person": spare.pk}, follow=True)
    assert "完成：已安排此人上班。" in done.content.decode() and 'id="fill-form"' not in done.content.decode()
