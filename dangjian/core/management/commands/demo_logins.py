"""manage.py demo_logins: print the demo accounts (used by `make demo`)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from dangjian.core.demo.generator import DEMO_PASSWORD

LOGINS = (
    ("school_admin", "校级管理员(组织部)，全校范围"),
    ("college_organizer", "院系组织员，计算机学院党委"),
    ("branch_secretary", "支部书记，计算机学院教工第一党支部(由书记职务自动获得)"),
    ("member", "党员，计算机学院教工第一党支部"),
    ("outsider_organizer", "院系组织员，外国语学院党委(看不到计算机学院)"),
    ("auditor", "审计管理员，只读审计日志"),
    ("sysadmin", "系统管理员，账号管理与 /sysadmin/ 应急后台，不可读党员数据"),
    ("secadmin", "安全管理员，登录锁定与解锁"),
)


class Command(BaseCommand):
    help = "Print the demo logins."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--url", default="http://127.0.0.1:8000")

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"智慧党建演示 / demo: {options['url']}"))
        self.stdout.write(f"演示账号 (demo only), 密码 password: {DEMO_PASSWORD}")
        for username, role in LOGINS:
            self.stdout.write(f"  {username:<20} {role}")
        self.stdout.write("")
