<#
.SYNOPSIS
    Installs clv_xl for desktop Excel on this PC, for the current user (no administrator rights).

.DESCRIPTION
    1. finds a 64-bit Python 3.11 or newer from python.org (the "py" launcher first, then
       python.exe on the PATH); Python from the Microsoft Store and 32-bit Python are refused;
    2. creates a virtual environment in -InstallDir and installs clv_xl into it, from this
       folder (or from -Wheel; offline from -Wheelhouse), showing pip's progress, then checks
       that pywin32 and xlwings load in it;
    3. builds the clv_xl add-in (clv_xl.xlam), imports the CLV functions into it through
       Excel and installs it in Excel's startup folder: the functions and the "CLV" ribbon
       tab are then in every workbook;
    4. copies the template workbooks into a folder of your documents;
    5. sets CLV_XL_LANG for your user, so that the functions' help and messages are in the
       chosen language.
    Running it again updates everything in place. -Uninstall removes what it installed
    (listed in install-manifest.json in -InstallDir) and nothing else.

.PARAMETER Python
    python.exe to use (64-bit, 3.11 or newer). Default: found with the "py" launcher or on the PATH.
.PARAMETER InstallDir
    Folder for the virtual environment and the add-in. Default: %LOCALAPPDATA%\clv_xl.
.PARAMETER Lang
    it or en: language of the ribbon, the functions' help, the messages and the templates.
    Default: the language of Windows (Italian if it is Italian, else English).
.PARAMETER Wheel
    A clv_xl wheel (.whl) to install instead of this folder.
.PARAMETER Wheelhouse
    A folder of wheels to install from without the internet (pip --no-index --find-links).
.PARAMETER PipArgs
    More options for pip, e.g. "--proxy http://proxy.example:8080" (separated by spaces).
.PARAMETER TemplatesDir
    Where to copy the template workbooks. Default: Documents\clv_xl.
.PARAMETER Uninstall
    Remove what an earlier run installed.
.PARAMETER EnableVbaTrust
    Turn on Excel's "Trust access to the VBA project object model" for your user if it is
    off (needed to import the functions into the add-in; the previous value is restored
    by -Uninstall).
.PARAMETER SkipExcel
    Everything but Excel: environment, packages, the add-in file, templates and CLV_XL_LANG,
    without importing the functions into Excel or installing the add-in (for a PC or a test
    machine without Excel).

.EXAMPLE
    powershell -ExecutionPolicy Bypass -File .\install.ps1 -Lang it
.EXAMPLE
    powershell -ExecutionPolicy Bypass -File .\install.ps1 -WhatIf
.EXAMPLE
    powershell -ExecutionPolicy Bypass -File .\install.ps1 -Wheel .\wheels\clv_xl-0.1.0-py3-none-any.whl -Wheelhouse .\wheels
.EXAMPLE
    powershell -ExecutionPolicy Bypass -File .\install.ps1 -Uninstall
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [string]$Python = '',
    [string]$InstallDir = '',
    [ValidateSet('it', 'en')]
    [string]$Lang = '',
    [string]$Wheel = '',
    [string]$Wheelhouse = '',
    [string[]]$PipArgs = @(),
    [string]$TemplatesDir = '',
    [switch]$Uninstall,
    [switch]$EnableVbaTrust,
    [switch]$SkipExcel
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$MinimumPython = [version]'3.11'
$ManifestName = 'install-manifest.json'
$RecordName = 'excel-record.json'
$LanguageVariable = 'CLV_XL_LANG'
# the modules the add-in needs at run time: pywin32 (pythoncom, pywintypes, win32com), xlwings, the functions
$RuntimeCheck = 'import pythoncom, pywintypes, win32com.client, xlwings, clv_xl.udfs'

$Texts = @{
    en = @{
        NotWindows       = 'install.ps1 runs on Windows only (desktop Excel is a Windows program).'
        NoExcel          = 'Desktop Excel was not found on this PC (no Excel.Application in the registry). Install Microsoft Excel for Windows (Microsoft 365, 2016 or later), then run install.ps1 again.'
        StoreExcel       = 'The Excel of this PC comes from the Microsoft Store ({0}): that edition cannot start the Python functions of an add-in (it reports "Could not activate Python COM server"). Uninstall it, install Microsoft 365 or Office from office.com (the "Install apps" button of your Microsoft account), then run install.ps1 again.'
        ExcelRunning     = 'Excel is running. Save your work, close every Excel window (check the Task Manager for EXCEL.EXE), then run install.ps1 again.'
        VbaTrustOff      = 'Excel does not let programs change the VBA of a workbook: the option "Trust access to the VBA project object model" is off, and importing the CLV functions into the add-in needs it. Either run install.ps1 -EnableVbaTrust (it turns the option on for your user only: {0}), or turn it on yourself in Excel: File > Options > Trust Center > Trust Center Settings > Macro Settings, then run install.ps1 again.'
        NoPython         = 'A 64-bit Python {0} or newer was not found. Install it from python.org (the "Windows installer (64-bit)"; tick "Add python.exe to PATH"; the "py" launcher is installed by default), or pass its path with -Python C:\path\to\python.exe, then run install.ps1 again.'
        BadPython        = '{0} is not Python {1} or newer (or does not run). Pass another one with -Python, or leave -Python out to search.'
        StorePython      = '{0} is the Python of the Microsoft Store: its virtual environments live in a private folder that Excel cannot see. Install Python from python.org (the "Windows installer (64-bit)"), then run install.ps1 again (or pass the new python.exe with -Python).'
        Python32         = '{0} is a 32-bit Python: the packages clv_xl needs (pandas, pyarrow) exist only for 64-bit Python. Install the 64-bit Python from python.org (the "Windows installer (64-bit)"), then run install.ps1 again (or pass the new python.exe with -Python).'
        BadPath          = 'The path given with -{0} reads as {1}: a path that ends with \ just before its closing quote makes Windows take the quote as part of it. Write it without the final \ (for example "C:\My folder"), then run install.ps1 again.'
        NoSource         = 'There is no clv_xl to install: {0} has no pyproject.toml. Run install.ps1 from the clv_xl folder, or give a wheel with -Wheel.'
        NoWheel          = 'The wheel {0} does not exist.'
        NoWheelhouse     = 'The folder of wheels {0} does not exist.'
        StepFailed       = '{0} failed (exit code {1}):'
        PipHint          = 'pip downloads the packages clv_xl needs from the Python Package Index: check the internet connection. Behind a company proxy, pass it to pip with -PipArgs "--proxy http://proxy:port"; without the internet, install from a folder of wheels with -Wheelhouse (see the README). Then run install.ps1 again.'
        VenvHint         = 'Python could not create the virtual environment: check that you can write to -InstallDir, or reinstall Python from python.org, then run install.ps1 again.'
        Pywin32Hint      = 'pywin32, which connects Python to Excel, does not load in the new environment. Run install.ps1 again; if the error stays, check whether your antivirus quarantined files of the environment (pywintypes*.dll, pythoncom*.dll) and ask IT to allow them.'
        FoundPython      = 'Python: {0} ({1}, 64-bit)'
        Venv             = 'Virtual environment: {0}'
        Installing       = 'Installing clv_xl and the packages it needs (pandas, xlwings, ...): this can take a few minutes.'
        Package          = 'Installed clv_xl from {0}'
        RuntimeOk        = 'pywin32 and xlwings load in the environment.'
        Addin            = 'Add-in installed: {0}'
        AddinBuilt       = 'Add-in built (not installed in Excel, -SkipExcel): {0}'
        Templates        = 'Templates copied to {0} ({1} files)'
        TemplateKept     = 'Kept {0}: you changed it since it was installed.'
        NoTemplates      = 'No templates in {0}: skipped.'
        Language         = '{0} set to "{1}" for your user.'
        Done             = 'clv_xl is installed.'
        Next             = 'Next: start Excel. The "CLV" tab is in the ribbon; type =CLV(10000, 3, 1000) in a cell (29000). Undo everything with: install.ps1 -Uninstall'
        NextSkipExcel    = 'Excel was left alone (-SkipExcel): run install.ps1 again without -SkipExcel on a PC with Excel to install the add-in. Undo everything with: install.ps1 -Uninstall'
        NothingInstalled = 'Nothing to remove: {0} has no {1} (install.ps1 did not install anything there).'
        UndoWithoutPython = 'The environment could not remove the add-in ({0}); removing it and restoring the VBA trust option directly.'
        TrustRestored    = 'Restored {0} to the value it had before the installation.'
        Removed          = 'Removed: {0}'
        Uninstalled      = 'clv_xl is uninstalled.'
    }
    it = @{
        NotWindows       = 'install.ps1 funziona solo su Windows (Excel desktop è un programma Windows).'
        NoExcel          = 'Excel desktop non è installato su questo PC (Excel.Application non è nel registro). Installa Microsoft Excel per Windows (Microsoft 365, 2016 o successivo), poi esegui di nuovo install.ps1.'
        StoreExcel       = 'L''Excel di questo PC è la versione del Microsoft Store ({0}): questa versione non riesce ad avviare le funzioni Python di un componente aggiuntivo (segnala "Could not activate Python COM server"). Disinstallala, installa Microsoft 365 o Office da office.com (il pulsante "Installa app" del tuo account Microsoft), poi esegui di nuovo install.ps1.'
        ExcelRunning     = 'Excel è aperto. Salva il lavoro, chiudi tutte le finestre di Excel (controlla EXCEL.EXE in Gestione attività), poi esegui di nuovo install.ps1.'
        VbaTrustOff      = 'Excel non permette ai programmi di modificare il VBA di una cartella: l''opzione "Considera attendibile l''accesso al modello a oggetti dei progetti VBA" è disattivata, e serve per importare le funzioni CLV nel componente aggiuntivo. Esegui install.ps1 -EnableVbaTrust (attiva l''opzione solo per il tuo utente: {0}), oppure attivala in Excel: File > Opzioni > Centro protezione > Impostazioni Centro protezione > Impostazioni macro, poi esegui di nuovo install.ps1.'
        NoPython         = 'Non è installato un Python {0} o successivo a 64 bit. Installalo da python.org (il "Windows installer (64-bit)"; spunta "Add python.exe to PATH"; il launcher "py" è incluso), oppure indica il percorso con -Python C:\percorso\python.exe, poi esegui di nuovo install.ps1.'
        BadPython        = '{0} non è Python {1} o successivo (o non si avvia). Indicane un altro con -Python, oppure ometti -Python per cercarlo.'
        StorePython      = '{0} è il Python del Microsoft Store: i suoi ambienti virtuali stanno in una cartella privata che Excel non vede. Installa Python da python.org (il "Windows installer (64-bit)"), poi esegui di nuovo install.ps1 (o indica il nuovo python.exe con -Python).'
        Python32         = '{0} è un Python a 32 bit: i pacchetti che servono a clv_xl (pandas, pyarrow) esistono solo per Python a 64 bit. Installa il Python a 64 bit da python.org (il "Windows installer (64-bit)"), poi esegui di nuovo install.ps1 (o indica il nuovo python.exe con -Python).'
        BadPath          = 'Il percorso indicato con -{0} risulta {1}: se un percorso finisce con \ subito prima delle virgolette di chiusura, Windows considera le virgolette parte del percorso. Scrivilo senza la \ finale (ad esempio "C:\La mia cartella"), poi esegui di nuovo install.ps1.'
        NoSource         = 'Non c''è nessun clv_xl da installare: {0} non contiene pyproject.toml. Esegui install.ps1 dalla cartella di clv_xl, oppure indica un wheel con -Wheel.'
        NoWheel          = 'Il wheel {0} non esiste.'
        NoWheelhouse     = 'La cartella di wheel {0} non esiste.'
        StepFailed       = '{0} non riuscito (codice di uscita {1}):'
        PipHint          = 'pip scarica dal Python Package Index i pacchetti che servono a clv_xl: controlla la connessione a internet. Dietro il proxy aziendale, indicalo a pip con -PipArgs "--proxy http://proxy:porta"; senza internet, installa da una cartella di wheel con -Wheelhouse (vedi il README). Poi esegui di nuovo install.ps1.'
        VenvHint         = 'Python non è riuscito a creare l''ambiente virtuale: controlla di poter scrivere in -InstallDir, oppure reinstalla Python da python.org, poi esegui di nuovo install.ps1.'
        Pywin32Hint      = 'pywin32, che collega Python a Excel, non si carica nel nuovo ambiente. Esegui di nuovo install.ps1; se l''errore resta, controlla se l''antivirus ha messo in quarantena file dell''ambiente (pywintypes*.dll, pythoncom*.dll) e chiedi all''IT di consentirli.'
        FoundPython      = 'Python: {0} ({1}, 64 bit)'
        Venv             = 'Ambiente virtuale: {0}'
        Installing       = 'Installazione di clv_xl e dei pacchetti che gli servono (pandas, xlwings, ...): può richiedere qualche minuto.'
        Package          = 'clv_xl installato da {0}'
        RuntimeOk        = 'pywin32 e xlwings si caricano nell''ambiente.'
        Addin            = 'Componente aggiuntivo installato: {0}'
        AddinBuilt       = 'Componente aggiuntivo creato (non installato in Excel, -SkipExcel): {0}'
        Templates        = 'Modelli copiati in {0} ({1} file)'
        TemplateKept     = 'Mantenuto {0}: lo hai modificato dopo l''installazione.'
        NoTemplates      = 'Nessun modello in {0}: passaggio saltato.'
        Language         = '{0} impostata a "{1}" per il tuo utente.'
        Done             = 'clv_xl è installato.'
        Next             = 'Ora: avvia Excel. La scheda "CLV" è nella barra multifunzione; scrivi =CLV(10000; 3; 1000) in una cella (29000). Per annullare tutto: install.ps1 -Uninstall'
        NextSkipExcel    = 'Excel non è stato toccato (-SkipExcel): per installare il componente aggiuntivo esegui di nuovo install.ps1 senza -SkipExcel su un PC con Excel. Per annullare tutto: install.ps1 -Uninstall'
        NothingInstalled = 'Niente da rimuovere: in {0} non c''è {1} (install.ps1 non vi ha installato nulla).'
        UndoWithoutPython = 'L''ambiente non è riuscito a rimuovere il componente aggiuntivo ({0}); lo rimuovo e ripristino l''opzione di attendibilità VBA direttamente.'
        TrustRestored    = '{0} riportato al valore che aveva prima dell''installazione.'
        Removed          = 'Rimosso: {0}'
        Uninstalled      = 'clv_xl è disinstallato.'
    }
}

function Get-Text {
    param([Parameter(Mandatory)][string]$Key, [object[]]$Values = @())
    return ($Texts[$script:Lang][$Key] -f $Values)
}

function Stop-Install {
    # Every failure ends here: what went wrong and how to fix it, in the chosen language.
    param([Parameter(Mandatory)][string]$Key, [object[]]$Values = @())
    throw (Get-Text -Key $Key -Values $Values)
}

function Confirm-Ready {
    # A check on this PC: stops the installation; with -WhatIf it only warns, so that the
    # whole plan is shown (also on a PC without Excel).
    param([Parameter(Mandatory)][string]$Key, [object[]]$Values = @())
    if ($WhatIfPreference) {
        Write-Warning (Get-Text -Key $Key -Values $Values)
    } else {
        Stop-Install -Key $Key -Values $Values
    }
}

function Resolve-UserPath {
    # A path given by the user, made absolute (Excel reads the add-in's paths from another folder)
    # and without a trailing \ or stray quote. Windows PowerShell 5.1 started with -File reads
    # "C:\My folder\" as C:\My folder" (the \ escapes the closing quote): a quote left at the end is
    # dropped; a quote inside means the next parameters were swallowed too, and the user is told.
    param([Parameter(Mandatory)][string]$Path, [Parameter(Mandatory)][string]$Name)
    $clean = $Path.Trim()
    if ($clean.EndsWith('"')) {
        $clean = $clean.TrimEnd('"').TrimEnd()
    }
    if ($clean.Contains('"')) {
        Stop-Install -Key 'BadPath' -Values @($Name, $Path)
    }
    $full = [System.IO.Path]::GetFullPath($ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($clean))
    $root = [System.IO.Path]::GetPathRoot($full)
    if ($full.Length -gt $root.Length) {
        $full = $full.TrimEnd([char[]]@('\', '/'))
    }
    return $full
}

function Split-PipArgs {
    # -PipArgs as pip's options: each value split at spaces ("--proxy http://proxy:8080" is two options).
    param([string[]]$Values = @())
    $options = @()
    foreach ($value in $Values) {
        $options += @($value -split '\s+' | Where-Object { $_ })
    }
    return $options
}

function Invoke-Native {
    # Runs a program. Returns its exit code, all its output (stdout and stderr, for error messages)
    # and what it printed on stdout alone (what it means to tell; warnings go to stderr).
    # Python children write UTF-8 (PYTHONUTF8, PYTHONIOENCODING) and the output is decoded as UTF-8:
    # Windows PowerShell would decode it with the OEM code page (cp850) and turn C:\Users\Niccolò into
    # C:\Users\Niccol‗. With -Show each line is shown as it comes (pip's progress).
    param([Parameter(Mandatory)][string]$Exe, [string[]]$Arguments = @(), [switch]$Show)
    $ErrorActionPreference = 'Continue'  # a line on stderr must not stop Windows PowerShell 5.1
    $command = Get-Command -Name $Exe -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if ($null -eq $command) {
        return [pscustomobject]@{ ExitCode = 9009; Output = "$Exe"; StdOut = @() }
    }
    $saved = @{}
    foreach ($name in @('PYTHONUTF8', 'PYTHONIOENCODING', 'PYTHONUNBUFFERED')) {
        $saved[$name] = [Environment]::GetEnvironmentVariable($name, 'Process')
    }
    $env:PYTHONUTF8 = '1'
    $env:PYTHONIOENCODING = 'utf-8'
    $env:PYTHONUNBUFFERED = '1'
    $consoleEncoding = $null
    try {
        $consoleEncoding = [Console]::OutputEncoding
        [Console]::OutputEncoding = New-Object System.Text.UTF8Encoding $false
    } catch {
        $consoleEncoding = $null  # no console to set (some hosts): the probe's output is ASCII anyway
    }
    $all = New-Object System.Collections.Generic.List[string]
    $standard = New-Object System.Collections.Generic.List[string]
    try {
        & $command.Source @Arguments 2>&1 | ForEach-Object {
            $line = "$_"
            $all.Add($line)
            if ($_ -isnot [System.Management.Automation.ErrorRecord]) {
                $standard.Add($line)
            }
            if ($Show) {
                Write-Host "    $line"
            }
        }
        $exitCode = $LASTEXITCODE
    } finally {
        if ($null -ne $consoleEncoding) {
            try { [Console]::OutputEncoding = $consoleEncoding } catch { }
        }
        foreach ($name in $saved.Keys) {
            [Environment]::SetEnvironmentVariable($name, $saved[$name], 'Process')
        }
    }
    return [pscustomobject]@{ ExitCode = $exitCode; Output = ($all -join [Environment]::NewLine); StdOut = $standard.ToArray() }
}

function Invoke-Step {
    # Runs a program as an install step; stops with its output, and a hint if given, when it fails.
    param(
        [Parameter(Mandatory)][string]$Name, [Parameter(Mandatory)][string]$Exe, [string[]]$Arguments = @(),
        [string]$Hint = '', [switch]$Show
    )
    $result = Invoke-Native -Exe $Exe -Arguments $Arguments -Show:$Show
    if ($result.ExitCode -ne 0) {
        $text = (Get-Text -Key 'StepFailed' -Values @($Name, $result.ExitCode)) + [Environment]::NewLine + $result.Output
        if ($Hint) {
            $text += [Environment]::NewLine + (Get-Text -Key $Hint)
        }
        throw $text
    }
    return $result
}

function Test-StorePath {
    # True for a program of the Microsoft Store: it lives under WindowsApps, or in the package folder
    # of the Store's Python (PythonSoftwareFoundation.Python.3.x_...).
    param([string]$Path = '')
    return ($Path -match '(^|[\\/])WindowsApps([\\/]|$)' -or $Path -match '[\\/]PythonSoftwareFoundation\.')
}

function Test-Python {
    # What a Python is (version, path, bitness, base folder), or $null if it does not run. Its answer
    # is JSON in ASCII (json.dumps escapes every accent): no code page can garble the path.
    # No double quotes in the code: PowerShell 5.1 and 7 pass them to programs differently.
    param([Parameter(Mandatory)][string]$Exe, [string[]]$Prefix = @())
    $code = 'import json, struct, sys; print(json.dumps({''version'': ''%d.%d'' % sys.version_info[:2], ''path'': sys.executable, ''bits'': struct.calcsize(''P'') * 8, ''base'': sys.base_prefix}))'
    try {
        $probe = Invoke-Native -Exe $Exe -Arguments ($Prefix + @('-X', 'utf8', '-c', $code))
        if ($probe.ExitCode -ne 0 -or @($probe.StdOut).Count -eq 0) {
            return $null
        }
        $answer = @($probe.StdOut)[-1] | ConvertFrom-Json
    } catch {
        return $null
    }
    return [pscustomobject]@{ Version = [version]$answer.version; Path = [string]$answer.path; Bits = [int]$answer.bits; Base = [string]$answer.base }
}

function Find-Python {
    # The first Python that is 3.11 or newer, 64-bit and not from the Microsoft Store; a Python
    # refused for the Store or 32 bits is named in the message if nothing better is found.
    if ($Python) {
        $candidates = @(, @($Python, @()))
    } else {
        $candidates = @(
            @('py', @('-3.13')), @('py', @('-3.12')), @('py', @('-3.11')), @('py', @('-3')),
            @('python', @()), @('python3', @())
        )
    }
    $refused = $null
    foreach ($candidate in $candidates) {
        if (-not (Get-Command $candidate[0] -ErrorAction SilentlyContinue)) {
            continue
        }
        $found = Test-Python -Exe $candidate[0] -Prefix $candidate[1]
        if ($null -eq $found -or $found.Version -lt $MinimumPython) {
            continue
        }
        if ((Test-StorePath -Path $found.Path) -or (Test-StorePath -Path $found.Base)) {
            if ($null -eq $refused) { $refused = @('StorePython', $found.Path) }
            continue
        }
        if ($found.Bits -ne 64) {
            if ($null -eq $refused) { $refused = @('Python32', $found.Path) }
            continue
        }
        return $found
    }
    if ($null -ne $refused) {
        Stop-Install -Key $refused[0] -Values @($refused[1])
    }
    if ($Python) {
        Stop-Install -Key 'BadPython' -Values @($Python, $MinimumPython)
    }
    Stop-Install -Key 'NoPython' -Values @($MinimumPython)
}

function Get-ExcelVersion {
    # "16.0" from HKCR\Excel.Application\CurVer ("Excel.Application.16"), or $null.
    $key = 'Registry::HKEY_CLASSES_ROOT\Excel.Application\CurVer'
    if (-not (Test-Path $key)) {
        return $null
    }
    $current = (Get-Item $key).GetValue('')
    if ($current -match '\.(\d+)$') {
        return "$($Matches[1]).0"
    }
    return $null
}

function Get-ExcelServer {
    # The EXCEL.EXE that COM starts for Excel.Application (its LocalServer32, often unquoted), or ''.
    $key = 'Registry::HKEY_CLASSES_ROOT\CLSID\{00024500-0000-0000-C000-000000000046}\LocalServer32'
    if (-not (Test-Path -LiteralPath $key)) {
        return ''
    }
    $command = [string](Get-Item -LiteralPath $key).GetValue('')
    if ($command -match '^\s*"?(.+?\.exe)') {
        return $Matches[1]
    }
    return ''
}

function Test-StoreExcel {
    # The Excel COM starts, if registered; else whether the Store's Excel package is installed.
    $server = Get-ExcelServer
    if ($server) {
        return [pscustomobject]@{ Store = (Test-StorePath -Path $server); Path = $server }
    }
    try {
        $package = Get-AppxPackage -Name 'Microsoft.Office.Desktop.Excel' -ErrorAction Stop -WarningAction SilentlyContinue
    } catch {
        $package = $null  # no Appx module in this PowerShell: nothing more to learn
    }
    if ($null -ne $package) {
        return [pscustomobject]@{ Store = $true; Path = [string]@($package)[0].InstallLocation }
    }
    return [pscustomobject]@{ Store = $false; Path = '' }
}

function Test-VbaTrust {
    param([Parameter(Mandatory)][string]$Version)
    foreach ($root in @("HKCU:\Software\Policies\Microsoft\Office\$Version\Excel\Security",
                        "HKCU:\Software\Microsoft\Office\$Version\Excel\Security")) {
        if (Test-Path $root) {
            $value = (Get-Item $root).GetValue('AccessVBOM')
            if ($null -ne $value) {
                return ($value -eq 1)
            }
        }
    }
    return $false
}

function Restore-VbaTrust {
    # Puts AccessVBOM back as the record says it was before the first installation ($null: never set).
    param([Parameter(Mandatory)][string]$Version, [object]$Previous = $null)
    $key = "HKCU:\Software\Microsoft\Office\$Version\Excel\Security"
    if ($null -eq $Previous) {
        if (Test-Path -LiteralPath $key) {
            Remove-ItemProperty -LiteralPath $key -Name 'AccessVBOM' -ErrorAction SilentlyContinue
        }
    } else {
        if (-not (Test-Path -LiteralPath $key)) {
            New-Item -Path $key -Force | Out-Null
        }
        Set-ItemProperty -LiteralPath $key -Name 'AccessVBOM' -Value ([int]$Previous) -Type DWord
    }
    Write-Host (Get-Text -Key 'TrustRestored' -Values @("HKCU\Software\Microsoft\Office\$Version\Excel\Security\AccessVBOM"))
}

function Undo-ExcelRecord {
    # What 'clv-xl excel uninstall' does, without Python (the environment is gone or broken):
    # remove the add-in from Excel's startup folder and restore the VBA trust option.
    param([Parameter(Mandatory)][string]$Path)
    $record = Get-Content -LiteralPath $Path -Raw -Encoding UTF8 | ConvertFrom-Json
    if ($record.addin) {
        Remove-Path -Path $record.addin
    }
    if ($record.vba_trust_changed) {
        Restore-VbaTrust -Version $record.excel_version -Previous $record.vba_trust_previous
    }
}

function Test-ExcelRunning {
    return ($null -ne (Get-Process -Name 'EXCEL' -ErrorAction SilentlyContinue))
}

function Get-FileHashText {
    param([Parameter(Mandatory)][string]$Path)
    return (Get-FileHash -Algorithm SHA256 -LiteralPath $Path).Hash
}

function Read-Manifest {
    param([Parameter(Mandatory)][string]$Path)
    if (Test-Path -LiteralPath $Path) {
        return (Get-Content -LiteralPath $Path -Raw -Encoding UTF8 | ConvertFrom-Json)
    }
    return $null
}

function Write-Manifest {
    param([Parameter(Mandatory)][string]$Path, [Parameter(Mandatory)][object]$Manifest)
    # written next to the target and renamed: never half a manifest
    $temporary = "$Path.tmp"
    $Manifest | ConvertTo-Json -Depth 5 | Set-Content -LiteralPath $temporary -Encoding UTF8
    Move-Item -LiteralPath $temporary -Destination $Path -Force
}

function Copy-Templates {
    # Copies workbook_templates\<lang>\ into $Target. A template changed by the user since the
    # last run is kept. Returns the list of installed files with their hashes, for -Uninstall.
    param([Parameter(Mandatory)][string]$Source, [Parameter(Mandatory)][string]$Target, [object[]]$Previous = @())
    $installed = @()
    if (-not (Test-Path -LiteralPath $Source)) {
        Write-Host (Get-Text -Key 'NoTemplates' -Values @($Source))
        return $installed
    }
    $earlier = @{}
    foreach ($entry in $Previous) {
        if ($null -ne $entry) { $earlier[$entry.path] = $entry.sha256 }
    }
    if (-not (Test-Path -LiteralPath $Target)) {
        New-Item -ItemType Directory -Path $Target -Force | Out-Null
    }
    foreach ($file in Get-ChildItem -LiteralPath $Source -File) {
        $destination = Join-Path $Target $file.Name
        if ((Test-Path -LiteralPath $destination) -and $earlier.ContainsKey($destination) -and
            ((Get-FileHashText -Path $destination) -ne $earlier[$destination])) {
            Write-Host (Get-Text -Key 'TemplateKept' -Values @($destination))
            $installed += [pscustomobject]@{ path = $destination; sha256 = $earlier[$destination] }
            continue
        }
        Copy-Item -LiteralPath $file.FullName -Destination $destination -Force
        $installed += [pscustomobject]@{ path = $destination; sha256 = (Get-FileHashText -Path $destination) }
    }
    Write-Host (Get-Text -Key 'Templates' -Values @($Target, @($installed).Count))
    return $installed
}

function Merge-Templates {
    # This run's templates, and those of earlier runs it did not copy again (another -Lang or
    # -TemplatesDir): they stay in the manifest, so that -Uninstall removes them too.
    param([object[]]$Current = @(), [object[]]$Previous = @())
    $paths = @($Current | Where-Object { $null -ne $_ } | ForEach-Object { $_.path })
    $others = @($Previous | Where-Object { $null -ne $_ -and $paths -notcontains $_.path })
    return (@($Current | Where-Object { $null -ne $_ }) + $others)
}

function Install-ClvXl {
    [CmdletBinding(SupportsShouldProcess)]
    param()
    $manifestPath = Join-Path $InstallDir $ManifestName
    $previous = Read-Manifest -Path $manifestPath

    if (-not $SkipExcel) {
        $excelVersion = Get-ExcelVersion
        $store = Test-StoreExcel
        if ($null -eq $excelVersion) {
            Confirm-Ready -Key 'NoExcel'
        } elseif ($store.Store) {
            Confirm-Ready -Key 'StoreExcel' -Values @($store.Path)
        } elseif (-not $EnableVbaTrust -and -not (Test-VbaTrust -Version $excelVersion)) {
            Confirm-Ready -Key 'VbaTrustOff' -Values @("HKCU\Software\Microsoft\Office\$excelVersion\Excel\Security\AccessVBOM")
        }
        if (Test-ExcelRunning) {
            Confirm-Ready -Key 'ExcelRunning'
        }
    }
    if ($Wheel) {
        if (-not (Test-Path -LiteralPath $Wheel -PathType Leaf)) {
            Stop-Install -Key 'NoWheel' -Values @($Wheel)
        }
        $source = $Wheel
    } else {
        if (-not (Test-Path -LiteralPath (Join-Path $PSScriptRoot 'pyproject.toml'))) {
            Stop-Install -Key 'NoSource' -Values @($PSScriptRoot)
        }
        $source = $PSScriptRoot
    }
    if ($Wheelhouse -and -not (Test-Path -LiteralPath $Wheelhouse -PathType Container)) {
        Stop-Install -Key 'NoWheelhouse' -Values @($Wheelhouse)
    }

    $found = Find-Python
    Write-Host (Get-Text -Key 'FoundPython' -Values @($found.Path, $found.Version))

    $venv = Join-Path $InstallDir 'venv'
    $venvPython = Join-Path $venv 'Scripts\python.exe'
    $record = Join-Path $InstallDir $RecordName
    $previousTemplates = @()
    # the value before the first installation is kept across updates, for -Uninstall
    $languageBefore = [Environment]::GetEnvironmentVariable($LanguageVariable, 'User')
    if ($null -ne $previous) {
        $previousTemplates = @($previous.templates)
        $languageBefore = $previous.languageBefore
    }
    $manifest = [pscustomobject]@{
        installDir     = $InstallDir
        venv           = $venv
        excelRecord    = $record
        addinFiles     = @((Join-Path $InstallDir 'clv_xl.xlam'), (Join-Path $InstallDir 'LICENSE-xlwings.txt'))
        templatesDir   = $TemplatesDir
        templates      = @($previousTemplates)
        language       = $Lang
        languageBefore = $languageBefore
    }
    # written before anything is created, so that -Uninstall can undo a run that stopped halfway
    if ($PSCmdlet.ShouldProcess($manifestPath, 'Write the list of what is installed')) {
        New-Item -ItemType Directory -Path $InstallDir -Force | Out-Null
        Write-Manifest -Path $manifestPath -Manifest $manifest
    }

    if ($PSCmdlet.ShouldProcess($venv, 'Create the virtual environment')) {
        if (-not (Test-Path -LiteralPath $venvPython)) {
            Invoke-Step -Name 'python -m venv' -Exe $found.Path -Arguments @('-m', 'venv', $venv) -Hint 'VenvHint' | Out-Null
        }
        Write-Host (Get-Text -Key 'Venv' -Values @($venv))
    }
    if ($PSCmdlet.ShouldProcess($venv, "Install clv_xl from $source")) {
        $pipOptions = @('--disable-pip-version-check')
        if ($Wheelhouse) {
            $pipOptions += @('--no-index', '--find-links', $Wheelhouse)
        }
        $pipOptions += @(Split-PipArgs -Values $PipArgs)
        Write-Host (Get-Text -Key 'Installing')
        # first the dependencies, then clv_xl itself again: a same-version update replaces the code
        Invoke-Step -Name 'pip install' -Exe $venvPython -Arguments (@('-m', 'pip', 'install') + $pipOptions + @('--upgrade', $source)) -Hint 'PipHint' -Show | Out-Null
        Invoke-Step -Name 'pip install' -Exe $venvPython -Arguments (@('-m', 'pip', 'install') + $pipOptions + @('--force-reinstall', '--no-deps', $source)) -Hint 'PipHint' -Show | Out-Null
        Write-Host (Get-Text -Key 'Package' -Values @($source))
        # pywin32 installs DLLs that an antivirus or a broken copy can keep from loading: check now, not in Excel
        Invoke-Step -Name "python -c `"$RuntimeCheck`"" -Exe $venvPython -Arguments @('-c', $RuntimeCheck) -Hint 'Pywin32Hint' | Out-Null
        Write-Host (Get-Text -Key 'RuntimeOk')
    }

    $templatesSource = Join-Path (Join-Path $PSScriptRoot 'workbook_templates') $Lang
    if ($PSCmdlet.ShouldProcess($TemplatesDir, 'Copy the template workbooks')) {
        $copied = @(Copy-Templates -Source $templatesSource -Target $TemplatesDir -Previous $previousTemplates)
        $manifest.templates = @(Merge-Templates -Current $copied -Previous $previousTemplates)
        Write-Manifest -Path $manifestPath -Manifest $manifest
    }

    if ($SkipExcel) {
        if ($PSCmdlet.ShouldProcess((Join-Path $InstallDir 'clv_xl.xlam'), 'Build the add-in file (Excel is skipped)')) {
            $arguments = @('-m', 'clv_xl.cli', 'excel', 'build-addin', '--lang', $Lang, '--out', (Join-Path $InstallDir 'clv_xl.xlam'),
                           '--interpreter', $venvPython, '--templates-dir', $TemplatesDir)
            $built = Invoke-Step -Name 'clv-xl excel build-addin' -Exe $venvPython -Arguments $arguments
            Write-Host (Get-Text -Key 'AddinBuilt' -Values @(@($built.StdOut | Where-Object { $_ })[-1]))
        }
    } elseif ($PSCmdlet.ShouldProcess('Excel', 'Build clv_xl.xlam, import the CLV functions into it and install it')) {
        $arguments = @('-m', 'clv_xl.cli', 'excel', 'install', '--lang', $Lang, '--dir', $InstallDir,
                       '--interpreter', $venvPython, '--templates-dir', $TemplatesDir, '--record', $record)
        if ($EnableVbaTrust) {
            $arguments += '--enable-vba-trust'
        }
        $addin = Invoke-Step -Name 'clv-xl excel install' -Exe $venvPython -Arguments $arguments
        # the path the command printed on stdout; warnings on stderr are not the result
        Write-Host (Get-Text -Key 'Addin' -Values @(@($addin.StdOut | Where-Object { $_ })[-1]))
    }

    if ($PSCmdlet.ShouldProcess("$LanguageVariable (user environment)", "Set to $Lang")) {
        [Environment]::SetEnvironmentVariable($LanguageVariable, $Lang, 'User')
        Write-Host (Get-Text -Key 'Language' -Values @($LanguageVariable, $Lang))
        Write-Host ''
        Write-Host (Get-Text -Key 'Done')
        if ($SkipExcel) {
            Write-Host (Get-Text -Key 'NextSkipExcel')
        } else {
            Write-Host (Get-Text -Key 'Next')
        }
    }
}

function Remove-Path {
    [CmdletBinding(SupportsShouldProcess)]
    param([Parameter(Mandatory)][string]$Path, [switch]$Recurse)
    if (Test-Path -LiteralPath $Path) {
        if ($PSCmdlet.ShouldProcess($Path, 'Remove')) {
            Remove-Item -LiteralPath $Path -Recurse:$Recurse -Force
            Write-Host (Get-Text -Key 'Removed' -Values @($Path))
        }
    }
}

function Remove-EmptyFolder {
    param([Parameter(Mandatory)][string]$Path)
    if ((Test-Path -LiteralPath $Path -PathType Container) -and -not (Get-ChildItem -LiteralPath $Path -Force)) {
        Remove-Path -Path $Path
    }
}

function Uninstall-ClvXl {
    [CmdletBinding(SupportsShouldProcess)]
    param()
    $manifestPath = Join-Path $InstallDir $ManifestName
    $manifest = Read-Manifest -Path $manifestPath
    if ($null -eq $manifest) {
        Write-Host (Get-Text -Key 'NothingInstalled' -Values @($InstallDir, $ManifestName))
        return
    }
    $venvPython = Join-Path $manifest.venv 'Scripts\python.exe'
    if ((Test-Path -LiteralPath $manifest.excelRecord) -and $PSCmdlet.ShouldProcess('Excel', 'Remove the clv_xl add-in and restore the VBA trust option')) {
        if (Test-ExcelRunning) {
            Stop-Install -Key 'ExcelRunning'
        }
        $undone = $false
        if (Test-Path -LiteralPath $venvPython) {
            $result = Invoke-Native -Exe $venvPython -Arguments @('-m', 'clv_xl.cli', 'excel', 'uninstall', '--lang', $Lang, '--record', $manifest.excelRecord)
            if ($result.ExitCode -eq 0) {
                foreach ($line in $result.StdOut) {
                    if ($line -like '*\AccessVBOM') {
                        Write-Host (Get-Text -Key 'TrustRestored' -Values @($line))
                    } elseif ($line) {
                        Write-Host (Get-Text -Key 'Removed' -Values @($line))
                    }
                }
                $undone = $true
            } else {
                Write-Warning (Get-Text -Key 'UndoWithoutPython' -Values @($result.Output))
            }
        }
        if (-not $undone) {
            # the environment is gone or broken: the add-in and the trust option are undone here
            Undo-ExcelRecord -Path $manifest.excelRecord
        }
        Remove-Path -Path $manifest.excelRecord
    }
    $folders = @($manifest.templatesDir)
    foreach ($template in @($manifest.templates)) {
        if ($null -eq $template) { continue }
        $folders += (Split-Path -Parent $template.path)
        if ((Test-Path -LiteralPath $template.path) -and ((Get-FileHashText -Path $template.path) -ne $template.sha256)) {
            Write-Host (Get-Text -Key 'TemplateKept' -Values @($template.path))
            continue
        }
        Remove-Path -Path $template.path
    }
    foreach ($folder in @($folders | Where-Object { $_ } | Select-Object -Unique)) {
        Remove-EmptyFolder -Path $folder
    }
    if ($PSCmdlet.ShouldProcess("$LanguageVariable (user environment)", 'Restore the value it had before the installation')) {
        [Environment]::SetEnvironmentVariable($LanguageVariable, $manifest.languageBefore, 'User')
    }
    foreach ($file in @($manifest.addinFiles)) {
        Remove-Path -Path $file
    }
    Remove-Path -Path $manifest.venv -Recurse
    Remove-Path -Path $manifestPath
    Remove-EmptyFolder -Path $InstallDir
    Write-Host (Get-Text -Key 'Uninstalled')
}

# ------------------------------------------------------------------------------------- main
if (-not $Lang) {
    if ((Get-UICulture).TwoLetterISOLanguageName -eq 'it') { $Lang = 'it' } else { $Lang = 'en' }
}
if ($env:OS -ne 'Windows_NT') {
    Write-Host (Get-Text -Key 'NotWindows') -ForegroundColor Red
    exit 1
}
try {
    if (-not $InstallDir) {
        $InstallDir = Join-Path $env:LOCALAPPDATA 'clv_xl'
    }
    if (-not $TemplatesDir) {
        $TemplatesDir = Join-Path ([Environment]::GetFolderPath('MyDocuments')) 'clv_xl'
    }
    # every path the add-in or the manifest keeps is absolute and clean
    $InstallDir = Resolve-UserPath -Path $InstallDir -Name 'InstallDir'
    $TemplatesDir = Resolve-UserPath -Path $TemplatesDir -Name 'TemplatesDir'
    if ($Wheel) {
        $Wheel = Resolve-UserPath -Path $Wheel -Name 'Wheel'
    }
    if ($Wheelhouse) {
        $Wheelhouse = Resolve-UserPath -Path $Wheelhouse -Name 'Wheelhouse'
    }
    if ($Python -and ($Python.Contains('\') -or $Python.Contains('/'))) {
        $Python = Resolve-UserPath -Path $Python -Name 'Python'
    }
    if ($Uninstall) {
        Uninstall-ClvXl
    } else {
        Install-ClvXl
    }
} catch {
    # the message says what went wrong and what to do; PowerShell's position details would only distract
    Write-Host $_.Exception.Message -ForegroundColor Red
    exit 1
}
