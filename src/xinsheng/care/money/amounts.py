"""Amounts of money as users type them: yuan, at most two decimals, within sane bounds."""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from xinsheng.core.errors import InvalidInput

CENT = Decimal("0.01")
# No single payment or deposit of assistance money reaches ten million yuan.
LARGEST = Decimal("9999999.99")


def amount_clean(value: object, *, field: str = "amount") -> Decimal:
    """Return ``value`` as a positive ``Decimal`` of yuan with two places, or raise
    ``InvalidInput`` naming ``field``: not a number, zero or less, fractions of a fen, too big."""
    if isinstance(value, float):
        value = repr(value)
    try:
        amount = Decimal(str(value).strip().replace(",", "").replace("，", ""))
    except (InvalidOperation, ValueError):
        raise InvalidInput(fields={field: [_("金额应为数字，单位为元。")]}) from None
    if not amount.is_finite():
        raise InvalidInput(fields={field: [_("金额应为数字，单位为元。")]})
    if amount <= 0:
        raise InvalidInput(fields={field: [_("金额应大于0。")]})
    if amount != amount.quantize(CENT):
        raise InvalidInput(fields={field: [_("金额最多保留两位小数（到分）。")]})
    if amount > LARGEST:
        raise InvalidInput(fields={field: [_("金额过大，请核对。")]})
    return amount.quantize(CENT)
