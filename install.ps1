<#
.SYNOPSIS
    Installs clv_xl for desktop Excel on this PC, for the current user (no administrator rights).

.DESCRIPTION
    1. finds Python 3.11 or newer (the "py" launcher first, then python.exe on the PATH);
    2. creates a virtual environment in -InstallDir and installs clv_xl into it, from this
       folder (or from -Wheel);
    3. builds the clv_xl add-in (clv_xl.xlam), imports the CLV functions into it through
       Excel and installs it in Excel's startup folder: the functions and the "CLV" ribbon
       tab are then in every workbook;
    4. copies the template workbooks into a folder of your documents;
    5. sets CLV_XL_LANG for your user, so that the functions' help and messages are in the
       chosen language.
    Running it again updates everything in place. -Uninstall removes what it installed
    (listed in install-manifest.json in -InstallDir) and nothing else.

.PARAMETER Python
    python.exe to use (3.11 or newer). Default: found with the "py" launcher or on the PATH.
.PARAMETER InstallDir
    Folder for the virtual environment and the add-in. Default: %LOCALAPPDATA%\clv_xl.
.PARAMETER Lang
    it or en: language of the ribbon, the functions' help, the messages and the templates.
    Default: the language of Windows (Italian if it is Italian, else English).
.PARAMETER Wheel
    A clv_xl wheel (.whl) to install instead of this folder.
.PARAMETER TemplatesDir
    Where to copy the template workbooks. Default: Documents\clv_xl.
.PARAMETER Uninstall
    Remove what an earlier run installed.
.PARAMETER EnableVbaTrust
    Turn on Excel's "Trust access to the VBA project object model" for your user if it is
    off (needed to import the functions into the add-in; the previous value is restored
    by -Uninstall).

.EXAMPLE
    powershell -ExecutionPolicy Bypass -File .\install.ps1 -Lang it
.EXAMPLE
    powershell -ExecutionPolicy Bypass -File .\install.ps1 -WhatIf
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
    [string]$TemplatesDir = '',
    [switch]$Uninstall,
    [switch]$EnableVbaTrust
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$MinimumPython = [version]'3.11'
$ManifestName = 'install-manifest.json'
$RecordName = 'excel-record.json'
$LanguageVariable = 'CLV_XL_LANG'

$Texts = @{
    en = @{
        NotWindows       = 'install.ps1 runs on Windows only (desktop Excel is a Windows program).'
        NoExcel          = 'Desktop Excel was not found on this PC (no Excel.Application in the registry). Install Microsoft Excel for Windows (Microsoft 365, 2016 or later), then run install.ps1 again.'
        ExcelRunning     = 'Excel is running. Save your work, close every Excel window (check the Task Manager for EXCEL.EXE), then run install.ps1 again.'
        VbaTrustOff      = 'Excel does not let programs change the VBA of a workbook: the option "Trust access to the VBA project object model" is off, and importing the CLV functions into the add-in needs it. Either run install.ps1 -EnableVbaTrust (it turns the option on for your user only: {0}), or turn it on yourself in Excel: File > Options > Trust Center > Trust Center Settings > Macro Settings, then run install.ps1 again.'
        NoPython         = 'Python {0} or newer was not found. Install it from python.org (tick "Add python.exe to PATH"; the "py" launcher is installed by default), or pass its path with -Python C:\path\to\python.exe, then run install.ps1 again.'
        BadPython        = '{0} is not Python {1} or newer (or does not run). Pass another one with -Python, or leave -Python out to search.'
        NoSource         = 'There is no clv_xl to install: {0} has no pyproject.toml. Run install.ps1 from the clv_xl folder, or give a wheel with -Wheel.'
        NoWheel          = 'The wheel {0} does not exist.'
        StepFailed       = '{0} failed (exit code {1}):'
        PipHint          = 'pip downloads the packages clv_xl needs from the Python Package Index: check the internet connection (and the proxy, if your company uses one), then run install.ps1 again.'
        VenvHint         = 'Python could not create the virtual environment: check that you can write to -InstallDir, or reinstall Python from python.org, then run install.ps1 again.'
        FoundPython      = 'Python: {0} ({1})'
        Venv             = 'Virtual environment: {0}'
        Package          = 'Installed clv_xl from {0}'
        Addin            = 'Add-in installed: {0}'
        Templates        = 'Templates copied to {0} ({1} files)'
        TemplateKept     = 'Kept {0}: you changed it since it was installed.'
        NoTemplates      = 'No templates in {0}: skipped.'
        Language         = '{0} set to "{1}" for your user.'
        Done             = 'clv_xl is installed.'
        Next             = 'Next: start Excel. The "CLV" tab is in the ribbon; type =CLV(10000; 3; 1000) in a cell (29000). Undo everything with: install.ps1 -Uninstall'
        NothingInstalled = 'Nothing to remove: {0} has no {1} (install.ps1 did not install anything there).'
        Removed          = 'Removed: {0}'
        Uninstalled      = 'clv_xl is uninstalled.'
    }
    it = @{
        NotWindows       = 'install.ps1 funziona solo su Windows (Excel desktop è un programma Windows).'
        NoExcel          = 'Excel desktop non è installato su questo PC (Excel.Application non è nel registro). Installa Microsoft Excel per Windows (Microsoft 365, 2016 o successivo), poi esegui di nuovo install.ps1.'
        ExcelRunning     = 'Excel è aperto. Salva il lavoro, chiudi tutte le finestre di Excel (controlla EXCEL.EXE in Gestione attività), poi esegui di nuovo install.ps1.'
        VbaTrustOff      = 'Excel non permette ai programmi di modificare il VBA di una cartella: l''opzione "Considera attendibile l''accesso al modello a oggetti dei progetti VBA" è disattivata, e serve per importare le funzioni CLV nel componente aggiuntivo. Esegui install.ps1 -EnableVbaTrust (attiva l''opzione solo per il tuo utente: {0}), oppure attivala in Excel: File > Opzioni > Centro protezione > Impostazioni Centro protezione > Impostazioni macro, poi esegui di nuovo install.ps1.'
        NoPython         = 'Python {0} o successivo non è installato. Installalo da python.org (spunta "Add python.exe to PATH"; il launcher "py" è incluso), oppure indica il percorso con -Python C:\percorso\python.exe, poi esegui di nuovo install.ps1.'
        BadPython        = '{0} non è Python {1} o successivo (o non si avvia). Indicane un altro con -Python, oppure ometti -Python per cercarlo.'
        NoSource         = 'Non c''è nessun clv_xl da installare: {0} non contiene pyproject.toml. Esegui install.ps1 dalla cartella di clv_xl, oppure indica un wheel con -Wheel.'
        NoWheel          = 'Il wheel {0} non esiste.'
        StepFailed       = '{0} non riuscito (codice di uscita {1}):'
        PipHint          = 'pip scarica dal Python Package Index i pacchetti che servono a clv_xl: controlla la connessione a internet (e il proxy, se la tua azienda ne usa uno), poi esegui di nuovo install.ps1.'
        VenvHint         = 'Python non è riuscito a creare l''ambiente virtuale: controlla di poter scrivere in -InstallDir, oppure reinstalla Python da python.org, poi esegui di nuovo install.ps1.'
        FoundPython      = 'Python: {0} ({1})'
        Venv             = 'Ambiente virtuale: {0}'
        Package          = 'clv_xl installato da {0}'
        Addin            = 'Componente aggiuntivo installato: {0}'
        Templates        = 'Modelli copiati in {0} ({1} file)'
        TemplateKept     = 'Mantenuto {0}: lo hai modificato dopo l''installazione.'
        NoTemplates      = 'Nessun modello in {0}: passaggio saltato.'
        Language         = '{0} impostata a "{1}" per il tuo utente.'
        Done             = 'clv_xl è installato.'
        Next             = 'Ora: avvia Excel. La scheda "CLV" è nella barra multifunzione; scrivi =CLV(10000; 3; 1000) in una cella (29000). Per annullare tutto: install.ps1 -Uninstall'
        NothingInstalled = 'Niente da rimuovere: in {0} non c''è {1} (install.ps1 non vi ha installato nulla).'
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

function Invoke-Native {
    # Runs a program and returns its exit code and output; stderr is part of the output
    # (with ErrorActionPreference = Stop, PowerShell 5.1 would otherwise stop at the first line on stderr).
    param([Parameter(Mandatory)][string]$Exe, [string[]]$Arguments = @())
    $ErrorActionPreference = 'Continue'
    $output = & $Exe @Arguments 2>&1 | ForEach-Object { "$_" }
    return [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($output -join [Environment]::NewLine) }
}

function Invoke-Step {
    # Runs a program as an install step; stops with its output, and a hint if given, when it fails.
    param([Parameter(Mandatory)][string]$Name, [Parameter(Mandatory)][string]$Exe, [string[]]$Arguments = @(), [string]$Hint = '')
    $result = Invoke-Native -Exe $Exe -Arguments $Arguments
    if ($result.ExitCode -ne 0) {
        $text = (Get-Text -Key 'StepFailed' -Values @($Name, $result.ExitCode)) + [Environment]::NewLine + $result.Output
        if ($Hint) {
            $text += [Environment]::NewLine + (Get-Text -Key $Hint)
        }
        throw $text
    }
    return $result.Output
}

function Test-Python {
    # The version and path of a Python if it is 3.11 or newer, else $null.
    param([Parameter(Mandatory)][string]$Exe, [string[]]$Prefix = @())
    try {
        # no double quotes in the code: PowerShell 5.1 and 7 pass them to programs differently
        $probe = Invoke-Native -Exe $Exe -Arguments ($Prefix + @('-c', 'import sys; print(''%d.%d|%s'' % (sys.version_info[0], sys.version_info[1], sys.executable))'))
    } catch {
        return $null
    }
    if ($probe.ExitCode -ne 0 -or -not ($probe.Output -match '^(\d+\.\d+)\|(.+)$')) {
        return $null
    }
    if ([version]$Matches[1] -lt $MinimumPython) {
        return $null
    }
    return [pscustomobject]@{ Version = $Matches[1]; Path = $Matches[2].Trim() }
}

function Find-Python {
    if ($Python) {
        $found = Test-Python -Exe $Python
        if ($null -eq $found) {
            Stop-Install -Key 'BadPython' -Values @($Python, $MinimumPython)
        }
        return $found
    }
    $candidates = @(
        @('py', @('-3.13')), @('py', @('-3.12')), @('py', @('-3.11')), @('py', @('-3')),
        @('python', @()), @('python3', @())
    )
    foreach ($candidate in $candidates) {
        if (Get-Command $candidate[0] -ErrorAction SilentlyContinue) {
            $found = Test-Python -Exe $candidate[0] -Prefix $candidate[1]
            if ($null -ne $found) {
                return $found
            }
        }
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
        $earlier[$entry.path] = $entry.sha256
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

function Install-ClvXl {
    [CmdletBinding(SupportsShouldProcess)]
    param()
    $manifestPath = Join-Path $InstallDir $ManifestName
    $previous = Read-Manifest -Path $manifestPath

    $excelVersion = Get-ExcelVersion
    if ($null -eq $excelVersion) {
        Confirm-Ready -Key 'NoExcel'
    } elseif (-not $EnableVbaTrust -and -not (Test-VbaTrust -Version $excelVersion)) {
        Confirm-Ready -Key 'VbaTrustOff' -Values @("HKCU\Software\Microsoft\Office\$excelVersion\Excel\Security\AccessVBOM")
    }
    if (Test-ExcelRunning) {
        Confirm-Ready -Key 'ExcelRunning'
    }
    if ($Wheel) {
        if (-not (Test-Path -LiteralPath $Wheel)) {
            Stop-Install -Key 'NoWheel' -Values @($Wheel)
        }
        $source = (Resolve-Path -LiteralPath $Wheel).Path
    } else {
        if (-not (Test-Path -LiteralPath (Join-Path $PSScriptRoot 'pyproject.toml'))) {
            Stop-Install -Key 'NoSource' -Values @($PSScriptRoot)
        }
        $source = $PSScriptRoot
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
        # first the dependencies, then clv_xl itself again: a same-version update replaces the code
        Invoke-Step -Name 'pip install' -Exe $venvPython -Arguments @('-m', 'pip', 'install', '--disable-pip-version-check', '--upgrade', $source) -Hint 'PipHint' | Out-Null
        Invoke-Step -Name 'pip install' -Exe $venvPython -Arguments @('-m', 'pip', 'install', '--disable-pip-version-check', '--force-reinstall', '--no-deps', $source) -Hint 'PipHint' | Out-Null
        Write-Host (Get-Text -Key 'Package' -Values @($source))
    }

    $templatesSource = Join-Path (Join-Path $PSScriptRoot 'workbook_templates') $Lang
    if ($PSCmdlet.ShouldProcess($TemplatesDir, 'Copy the template workbooks')) {
        $manifest.templates = @(Copy-Templates -Source $templatesSource -Target $TemplatesDir -Previous $previousTemplates)
        Write-Manifest -Path $manifestPath -Manifest $manifest
    }

    if ($PSCmdlet.ShouldProcess('Excel', 'Build clv_xl.xlam, import the CLV functions into it and install it')) {
        $arguments = @('-m', 'clv_xl.cli', 'excel', 'install', '--lang', $Lang, '--dir', $InstallDir,
                       '--interpreter', $venvPython, '--templates-dir', $TemplatesDir, '--record', $record)
        if ($EnableVbaTrust) {
            $arguments += '--enable-vba-trust'
        }
        $addin = Invoke-Step -Name 'clv-xl excel install' -Exe $venvPython -Arguments $arguments
        Write-Host (Get-Text -Key 'Addin' -Values @(($addin -split [Environment]::NewLine)[-1]))
    }

    if ($PSCmdlet.ShouldProcess("$LanguageVariable (user environment)", "Set to $Lang")) {
        [Environment]::SetEnvironmentVariable($LanguageVariable, $Lang, 'User')
        Write-Host (Get-Text -Key 'Language' -Values @($LanguageVariable, $Lang))
        Write-Host ''
        Write-Host (Get-Text -Key 'Done')
        Write-Host (Get-Text -Key 'Next')
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

function Uninstall-ClvXl {
    [CmdletBinding(SupportsShouldProcess)]
    param()
    $manifestPath = Join-Path $InstallDir $ManifestName
    $manifest = Read-Manifest -Path $manifestPath
    if ($null -eq $manifest) {
        Write-Host (Get-Text -Key 'NothingInstalled' -Values @($InstallDir, $ManifestName))
        return
    }
    if (Test-ExcelRunning) {
        Stop-Install -Key 'ExcelRunning'
    }
    $venvPython = Join-Path $manifest.venv 'Scripts\python.exe'
    if ((Test-Path -LiteralPath $manifest.excelRecord) -and $PSCmdlet.ShouldProcess('Excel', 'Remove the clv_xl add-in and restore the VBA trust option')) {
        if (Test-Path -LiteralPath $venvPython) {
            $undone = Invoke-Step -Name 'clv-xl excel uninstall' -Exe $venvPython -Arguments @('-m', 'clv_xl.cli', 'excel', 'uninstall', '--lang', $Lang, '--record', $manifest.excelRecord)
            foreach ($line in ($undone -split [Environment]::NewLine)) {
                if ($line) { Write-Host (Get-Text -Key 'Removed' -Values @($line)) }
            }
        } else {
            # the environment is gone: remove the add-in from Excel's startup folder directly
            $excelRecord = Get-Content -LiteralPath $manifest.excelRecord -Raw -Encoding UTF8 | ConvertFrom-Json
            if ($excelRecord.addin) { Remove-Path -Path $excelRecord.addin }
        }
        Remove-Path -Path $manifest.excelRecord
    }
    foreach ($template in @($manifest.templates)) {
        if ($null -eq $template) { continue }
        if ((Test-Path -LiteralPath $template.path) -and ((Get-FileHashText -Path $template.path) -ne $template.sha256)) {
            Write-Host (Get-Text -Key 'TemplateKept' -Values @($template.path))
            continue
        }
        Remove-Path -Path $template.path
    }
    if ((Test-Path -LiteralPath $manifest.templatesDir) -and -not (Get-ChildItem -LiteralPath $manifest.templatesDir -Force)) {
        Remove-Path -Path $manifest.templatesDir
    }
    if ($PSCmdlet.ShouldProcess("$LanguageVariable (user environment)", 'Restore the value it had before the installation')) {
        [Environment]::SetEnvironmentVariable($LanguageVariable, $manifest.languageBefore, 'User')
    }
    foreach ($file in @($manifest.addinFiles)) {
        Remove-Path -Path $file
    }
    Remove-Path -Path $manifest.venv -Recurse
    Remove-Path -Path $manifestPath
    if ((Test-Path -LiteralPath $InstallDir) -and -not (Get-ChildItem -LiteralPath $InstallDir -Force)) {
        Remove-Path -Path $InstallDir
    }
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
if (-not $InstallDir) {
    $InstallDir = Join-Path $env:LOCALAPPDATA 'clv_xl'
}
if (-not $TemplatesDir) {
    $TemplatesDir = Join-Path ([Environment]::GetFolderPath('MyDocuments')) 'clv_xl'
}
try {
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
