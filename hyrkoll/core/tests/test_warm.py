"""Compiling every template at start (``hyrkoll.core.warm``): a broken one stops the start."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.template import TemplateSyntaxError
from django.test import override_settings

from hyrkoll.core import warm


def _engine_settings(directory: Path) -> list[dict[str, object]]:
    return [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "DIRS": [directory],
            "APP_DIRS": False,
            "OPTIONS": {
                "loaders": [
                    ("django.template.loaders.cached.Loader", ["django.template.loaders.filesystem.Loader"])
                ]
            },
        }
    ]


def test_every_template_of_the_loaders_is_compiled(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "page.html").write_text("{% load i18n %}{% translate 'Start' %}")
    (tmp_path / "sub" / "mail.txt").write_text("{{ name }}")
    (tmp_path / "notes.md").write_text("not a template")
    with override_settings(TEMPLATES=_engine_settings(tmp_path)):
        assert warm.template_names() == ["page.html", "sub/mail.txt"]
        assert warm.compile_templates() == 2
        from django.template import engines

        cached = engines["django"].engine.template_loaders[0].get_template_cache
        assert set(cached) == {"page.html", "sub/mail.txt"}


def test_a_template_that_does_not_compile_stops_the_start(tmp_path: Path) -> None:
    (tmp_path / "broken.html").write_text("{% if %}")
    with override_settings(TEMPLATES=_engine_settings(tmp_path)), pytest.raises(TemplateSyntaxError):
        warm.compile_templates()


def test_the_urlconfs_index_is_built_in_every_language() -> None:
    from django.conf import settings
    from django.urls import clear_url_caches, get_resolver

    clear_url_caches()
    resolver = get_resolver()
    assert not resolver._reverse_dict  # built on the first reverse, in the language of the moment
    warm.index_urls()
    assert set(resolver._reverse_dict) == {code for code, _name in settings.LANGUAGES}


def test_the_form_renderers_templates_are_compiled() -> None:
    from django.forms.renderers import get_default_renderer

    count = warm.compile_form_templates()
    engine = get_default_renderer().engine.engine
    cached = engine.template_loaders[0].get_template_cache
    assert count > 10 and "django/forms/label.html" in cached and "django/forms/div.html" in cached
