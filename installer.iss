; TapHuan – Windows installer (Inno Setup 6). UTF-8 with a BOM: Inno Setup then reads the
; Vietnamese below as Unicode.
;
;   python packaging/build.py          (builds dist\taphuan, self-tests it, then runs ISCC)
;   ISCC /DAppVersion=0.1.0 installer.iss
;
; Per-user by default (no administrator rights), all users on request. x64 only: Qt 6
; runs on Windows 10 1809+ and 11. The database and backups live in the user's data
; folder (%LOCALAPPDATA%\TapHuan, from platformdirs), never in {app}: upgrades and
; uninstalls keep them, and uninstall asks before deleting them (default: keep).

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "TapHuan"
#define AppExe "taphuan.exe"

[Setup]
; The AppId never changes: upgrades find the installed copy by it.
AppId={{8E1086E2-CC1F-48CD-BB11-E18E34449DD3}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=TapHuan
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppName}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0.17763
OutputDir=dist\installer
OutputBaseFilename=taphuan-{#AppVersion}-setup
SetupIconFile=resources\icons\taphuan.ico
UninstallDisplayIcon={app}\{#AppExe}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; A running TapHuan is closed before files are replaced; the app holds this mutex.
AppMutex=TapHuanAppMutex
CloseApplications=yes
RestartApplications=no
ShowLanguageDialog=auto
LicenseFile=packaging\LICENSE-installer.txt
; Code signing (uncomment on the build PC that holds the certificate; see README):
; SignTool=signtool sign /fd sha256 /tr http://timestamp.digicert.com /td sha256 /a $f
; SignedUninstaller=yes

[Languages]
Name: "vi"; MessagesFile: "packaging\languages\Vietnamese.isl"
Name: "en"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; The old bundle goes before the new one is copied: no stale module from an older version.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "dist\taphuan\taphuan.exe"; DestDir: "{app}"; Flags: ignoreversion
Source: "dist\taphuan\taphuan-cli.exe"; DestDir: "{app}"; Flags: ignoreversion
Source: "dist\taphuan\_internal\*"; DestDir: "{app}\_internal"; Flags: ignoreversion recursesubdirs createallsubdirs
Source: "packaging\languages\LICENSE-Vietnamese-isl.txt"; DestDir: "{app}\licenses"; Flags: ignoreversion
Source: "resources\fonts\LICENSE-Liberation.txt"; DestDir: "{app}\licenses"; Flags: ignoreversion

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{group}\{#AppName} (dữ liệu mẫu)"; Filename: "{app}\{#AppExe}"; Parameters: "--demo"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[CustomMessages]
vi.DeleteData=Xóa cả dữ liệu TapHuan (cơ sở dữ liệu và các bản sao lưu trong %1)?%n%nChọn "Không" (No) để giữ lại: cài lại TapHuan sẽ dùng tiếp dữ liệu này.
en.DeleteData=Also delete the TapHuan data (the database and its backups in %1)?%n%nChoose "No" to keep it: reinstalling TapHuan will use it again.

[Code]
// The data folder is the user's (platformdirs: %LOCALAPPDATA%\TapHuan), not {app}.
function DataDir(): String;
begin
  Result := ExpandConstant('{localappdata}\TapHuan');
end;

// Asked after the files are gone, default No. A silent uninstall (/SUPPRESSMSGBOXES) gets
// the answer No and keeps the data: MsgBox ignores that switch and would wait for ever.
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if (CurUninstallStep = usPostUninstall) and DirExists(DataDir()) then
    if SuppressibleMsgBox(FmtMessage(CustomMessage('DeleteData'), [DataDir()]), mbConfirmation,
                          MB_YESNO or MB_DEFBUTTON2, IDNO) = IDYES then
      DelTree(DataDir(), True, True, True);
end;
