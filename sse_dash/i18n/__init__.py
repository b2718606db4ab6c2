"""The interface's languages: English, French, Spanish and Persian (right to left). Pure: no Streamlit.

- `translate`: `LANGUAGES`, the language of the current script run (`use_language`, `language`, `is_rtl`,
  `best_language`), and gettext over the catalogues in `sse_dash/locales/` (`_`, `ngettext`, `N_`);
- `formats`: numbers, percentages, dates, territory and currency names in the active language (Babel).

Messages are extracted with `make messages` (pybabel, `babel.cfg`) into `sse_dash/locales/messages.pot`, which
updates each language's `messages.po`. Write messages with named placeholders: `_("{count} records").format(...)`,
never an f-string inside `_()`, never a sentence glued from fragments.
"""

from sse_dash.i18n.formats import currency_name, date, locale, number, percent, territory_name
from sse_dash.i18n.translate import (
    DEFAULT,
    LANGUAGES,
    N_,
    Language,
    _,
    best_language,
    bound,
    is_rtl,
    language,
    ngettext,
    translations,
    use_language,
)

__all__ = [
    "DEFAULT",
    "LANGUAGES",
    "N_",
    "Language",
    "_",
    "best_language",
    "bound",
    "currency_name",
    "date",
    "is_rtl",
    "language",
    "locale",
    "ngettext",
    "number",
    "percent",
    "territory_name",
    "translations",
    "use_language",
]
