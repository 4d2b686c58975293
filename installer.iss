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
; While TapHuan runs (the window or taphuan-cli), both programs hold these mutexes
; (app/running.py): Setup and the uninstaller refuse to start, and PrepareToInstall looks
; again just before anything is deleted or replaced.
AppMutex=TapHuanAppMutex,Global\TapHuanAppMutex
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

[Files]
Source: "dist\taphuan\taphuan.exe"; DestDir: "{app}"; Flags: ignoreversion
Source: "dist\taphuan\taphuan-cli.exe"; DestDir: "{app}"; Flags: ignoreversion
; Each file of the new bundle is remembered; what an older version left in _internal is
; deleted only after all of them are in place (ssPostInstall), never before.
Source: "dist\taphuan\_internal\*"; DestDir: "{app}\_internal"; Flags: ignoreversion recursesubdirs createallsubdirs; AfterInstall: RememberInstalled
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

vi.AppRunning=TapHuan đang chạy (cửa sổ TapHuan hoặc lệnh taphuan-cli). Hãy đóng nó rồi chạy lại trình cài đặt. Chưa có gì bị thay đổi.
en.AppRunning=TapHuan is running (the TapHuan window or a taphuan-cli command). Close it, then run Setup again. Nothing was changed.
vi.OtherFolder=TapHuan đã được cài trong thư mục %1. Hãy cài vào đúng thư mục đó để nâng cấp (dữ liệu được giữ nguyên), hoặc gỡ bản đó trước rồi mới cài vào thư mục khác. Chưa có gì bị thay đổi.
en.OtherFolder=TapHuan is already installed in %1. Install into that folder to upgrade it (the data is kept), or uninstall that copy first to use another folder. Nothing was changed.

[Code]
const
  // installer.iss's AppMutex, looked for again just before the installation starts.
  AppMutexes = 'TapHuanAppMutex,Global\TapHuanAppMutex';
  // Where Setup registers this AppId ({AppId}_is1), per user (HKCU) or for all (HKLM).
  UninstallKey = 'Software\Microsoft\Windows\CurrentVersion\Uninstall\{8E1086E2-CC1F-48CD-BB11-E18E34449DD3}_is1';

var
  Installed: TStringList;  // the files of this version copied into {app}\_internal

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

// The folder of an installed TapHuan (its uninstaller still there) in one registry root,
// with a trailing backslash; '' when there is none.
function InstalledIn(RootKey: Integer): String;
var
  Location: String;
begin
  Result := '';
  if RegQueryStringValue(RootKey, UninstallKey, 'InstallLocation', Location) and (Location <> '') then
  begin
    Location := AddBackslash(Location);
    if FileExists(Location + 'unins000.exe') then
      Result := Location;
  end;
end;

// An installed TapHuan in another folder than the chosen one: a second copy there would
// share the uninstall entry and the shortcuts, and uninstalling either breaks the other.
function OtherInstallFolder(): String;
var
  Chosen: String;
begin
  Chosen := AddBackslash(ExpandConstant('{app}'));
  Result := InstalledIn(HKLM);
  if (Result = '') or (CompareText(Result, Chosen) = 0) then
    Result := InstalledIn(HKCU);
  if CompareText(Result, Chosen) = 0 then
    Result := '';
end;

// Just before anything is deleted or copied: TapHuan may have started since Setup's own
// AppMutex check, and the folder must be the installed one. A non-empty answer stops
// Setup on the Preparing page; a silent Setup exits with code 7, nothing changed.
function PrepareToInstall(var NeedsRestart: Boolean): String;
var
  Other: String;
begin
  Result := '';
  if CheckForMutexes(AppMutexes) then
  begin
    Result := CustomMessage('AppRunning');
    Log('Refused: TapHuan is running');
    Exit;
  end;
  Other := OtherInstallFolder();
  if Other <> '' then
  begin
    Result := FmtMessage(CustomMessage('OtherFolder'), [RemoveBackslash(Other)]);
    Log('Refused: TapHuan is installed in ' + Other);
  end;
end;

procedure RememberInstalled();
begin
  if Installed = nil then
  begin
    Installed := TStringList.Create;
    Installed.Sorted := True;
  end;
  Installed.Add(Lowercase(ExpandConstant(CurrentFileName)));
end;

// Files under Dir that this version did not install (an older version's), and the
// folders they leave empty.
procedure DeleteStale(const Dir: String);
var
  Found: TFindRec;
  Path: String;
begin
  if FindFirst(Dir + '\*', Found) then
  try
    repeat
      if (Found.Name <> '.') and (Found.Name <> '..') then
      begin
        Path := Dir + '\' + Found.Name;
        if (Found.Attributes and FILE_ATTRIBUTE_DIRECTORY) <> 0 then
        begin
          DeleteStale(Path);
          RemoveDir(Path);
        end
        else if Installed.IndexOf(Lowercase(Path)) < 0 then
        begin
          Log('Stale file deleted: ' + Path);
          DeleteFile(Path);
        end;
      end;
    until not FindNext(Found);
  finally
    FindClose(Found);
  end;
end;

procedure CurStepChanged(CurStep: TSetupStep);
begin
  // Only when the names remembered are the names found (base_library.zip among them):
  // a mismatch would otherwise delete the new bundle itself.
  if (CurStep = ssPostInstall) and (Installed <> nil) then
    if Installed.IndexOf(Lowercase(ExpandConstant('{app}\_internal\base_library.zip'))) >= 0 then
      DeleteStale(ExpandConstant('{app}\_internal'))
    else
      Log('Stale files left: the installed names do not match');
end;
