"""Personal API tokens: create one (shown once), see them, revoke them."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from tracker.extensions import get_clock
from tracker.i18n import _, _l
from tracker.services import api_tokens
from tracker.web.access import Action, current_account, requires
from tracker.web.transactions import discard

bp = Blueprint("tokens", __name__)


class TokenForm(FlaskForm):  # type: ignore[misc]
    name = StringField(
        _l("Tên khóa"),
        validators=[DataRequired(), Length(max=api_tokens.MAX_NAME_LENGTH)],
        description=_l("Để nhớ khóa này dùng cho việc gì, ví dụ: “Bảng tính báo cáo tuần”."),
    )


class RevokeForm(FlaskForm):  # type: ignore[misc]
    """Only the CSRF token."""


def _page(form: TokenForm, new_token: str | None = None, status: int = 200) -> tuple[str, int]:
    return (
        render_template(
            "tokens/list.html",
            form=form,
            revoke_form=RevokeForm(),
            tokens=api_tokens.list_tokens(current_account()),
            new_token=new_token,
        ),
        status,
    )


@bp.route("/tai-khoan/khoa-api")
@requires(Action.VIEW)
def token_list() -> tuple[str, int]:
    return _page(TokenForm())


@bp.route("/tai-khoan/khoa-api", methods=["POST"])
@requires(Action.VIEW)
def create_token() -> tuple[str, int]:
    form = TokenForm()
    if not form.validate_on_submit():
        return _page(form, status=400)
    try:
        _token, plaintext = api_tokens.create_token(
            current_account(), form.name.data, get_clock(current_app).now()
        )
    except api_tokens.TokenError as error:
        discard()
        form.name.errors = [*form.name.errors, str(error)]
        return _page(form, status=400)
    # The plaintext is in this response only: the database keeps its SHA-256.
    return _page(TokenForm(formdata=None), new_token=plaintext, status=201)


@bp.route("/tai-khoan/khoa-api/<int:token_id>/thu-hoi", methods=["POST"])
@requires(Action.VIEW)
def revoke_token(token_id: int) -> Response:
    if not RevokeForm().validate_on_submit():
        abort(400)
    token = api_tokens.revoke_token(current_account(), token_id, get_clock(current_app).now())
    if token is None:
        abort(404)
    flash(_("Đã thu hồi khóa “%(name)s”.", name=token.name), "success")
    return redirect(url_for("tokens.token_list"))
