"""Minimal stand-ins for the Windows-only modules xlwings' COM code imports.

xlwings' UDF machinery (``xlwings.udfs``, ``xlwings._xlwindows``, ``xlwings.com_server``)
imports pywin32 at module level. These stand-ins let the *real* xlwings code run on
Linux: registration (``xlfunc``/``xlarg``), the VBA wrapper generator, and ``call_udf``
with its real conversion pipeline (``_xlwindows.Engine.clean_value_data`` turns error
codes into ``"#N/A"`` texts, empty cells into None...). Nothing here computes a result.

What is stubbed, and why each is enough:

* ``pythoncom``: ``CoInitialize`` (thread pool initialiser), ``IID_IDispatch`` and
  ``TypeIIDs`` (read once at import of ``com_server``);
* ``pywintypes``: ``com_error`` and ``TimeType`` (a ``datetime`` subclass: isinstance checks);
* ``win32com.client``: ``Dispatch`` fails as COM would without Excel;
* ``win32api``, ``win32con``, ``win32gui``, ``win32process``, ``win32timezone``,
  ``win32event`` and ``win32com.server.*``: imported by name, not called in these paths;
* ``ctypes.windll``/``oledll``/``PyDLL``: patched only while ``xlwings._xlwindows`` is
  imported (it resolves a few DLL entry points at import time), then restored.

On Windows nothing is stood in: the real pywin32 and xlwings' own Windows engine are
imported (the Windows workflow checks them that way), and :data:`ComError` is pywin32's
``com_error``.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import sys
import types
from unittest import mock

#: The integer pywin32 hands over for an Excel error cell, by error text.
EXCEL_ERROR_CODES = {
    "#DIV/0!": -2146826281,
    "#N/A": -2146826246,
    "#NAME?": -2146826259,
    "#NULL!": -2146826288,
    "#NUM!": -2146826252,
    "#REF!": -2146826265,
    "#VALUE!": -2146826273,
}
#: What VBA passes for an optional argument that was left out.
MISSING_ARGUMENT = -2147352572


ON_WINDOWS = sys.platform.startswith("win")

if ON_WINDOWS:
    from pywintypes import com_error as ComError  # noqa: N812 - the name the tests raise
else:

    class ComError(Exception):  # type: ignore[no-redef]
        """pywintypes.com_error."""


class ComTime(dt.datetime):
    """pywintypes.TimeType: the type of dates coming from Excel."""


def _module(name: str, **attributes: object) -> types.ModuleType:
    module = types.ModuleType(name)
    module.__dict__.update(attributes)
    sys.modules[name] = module
    return module


def _dispatch(*_args: object, **_kwargs: object) -> object:
    raise ComError("no Excel on this machine")


def install() -> None:
    """Put the stand-ins in ``sys.modules`` and import xlwings' Windows engine (on Windows: the real ones)."""
    if "xlwings._xlwindows" in sys.modules:
        return
    if ON_WINDOWS:
        import xlwings.udfs  # noqa: F401 - with the real pywin32; xlwings itself sets func = xlfunc

        return
    _module(
        "pythoncom",
        __file__="pythoncom.dll",
        CoInitialize=lambda: None,
        IID_IDispatch="IDispatch",
        TypeIIDs={"IDispatch": object},
    )
    _module("pywintypes", com_error=ComError, TimeType=ComTime, IID=lambda text: text)
    win32com = _module("win32com")
    win32com.client = _module(  # type: ignore[attr-defined]
        "win32com.client",
        Dispatch=_dispatch,
        DispatchEx=_dispatch,
        CDispatch=object,
        CoClassBaseClass=object,
        DispatchBaseClass=object,
    )
    for name in ("win32api", "win32con", "win32gui", "win32process", "win32timezone", "win32event"):
        sys.modules[name] = mock.MagicMock(name=name)
    for name in ("win32com.server", "win32com.server.dispatcher", "win32com.server.policy", "win32com.server.util"):
        sys.modules[name] = mock.MagicMock(name=name)
    win32com.server = sys.modules["win32com.server"]  # type: ignore[attr-defined]

    import xlwings

    with (
        mock.patch.object(ctypes, "windll", mock.MagicMock(), create=True),
        mock.patch.object(ctypes, "oledll", mock.MagicMock(), create=True),
        mock.patch.object(ctypes, "PyDLL", mock.MagicMock()),
    ):
        from xlwings import _xlwindows
    xlwings.engines.add(xlwings.Engine(impl=_xlwindows.engine))

    import xlwings.udfs

    # what xlwings/__init__.py does on Windows
    xlwings.func = xlwings.udfs.xlfunc
    xlwings.arg = xlwings.udfs.xlarg
    xlwings.ret = xlwings.udfs.xlret
    xlwings.sub = xlwings.udfs.xlsub
