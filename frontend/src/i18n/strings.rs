//! The string table. One line per key: English, then Simplified Chinese.

use super::Lang;

macro_rules! strings {
    ($($key:ident => $en:expr, $zh:expr;)*) => {
        /// A visible string of the console.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum K { $($key),* }

        impl K {
            pub const ALL: &'static [K] = &[$(K::$key),*];

            pub fn text(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $((K::$key, Lang::En) => $en, (K::$key, Lang::Zh) => $zh,)*
                }
            }
        }
    };
}

strings! {
    // Shell
    Brand => "Callout Console", "外呼控制台";
    SkipToContent => "Skip to content", "跳到正文";
    SandboxBadge => "Sandbox: calls go to built-in emulators", "沙箱：呼叫只发往内置模拟器";
    LanguageLabel => "Language", "语言";
    NavDashboard => "Dashboard", "概览";
    NavCallout => "Meeting callout", "会议外呼";
    NavStatus => "Callout status", "外呼状态";
    NavMsOpenId => "ms_open_id lookup", "ms_open_id 查询";
    NavRoomCall => "Room call", "会议室呼叫";
    NavDialEx => "DialEx", "DialEx 外呼";
    NavDoNotCall => "Do-not-call list", "禁呼名单";
    MainNav => "Main", "主导航";
    FooterUi => "Callout Console · UI", "外呼控制台 · 界面";
    FooterBackend => "backend {version}", "后端 {version}";
    FooterUnreachable => "backend unreachable", "后端无法连接";
    PageNotFound => "Page not found", "页面不存在";
    PageNotFoundBody => "The console has no page at", "控制台没有这个页面：";
    PageNotFoundHome => "Back to the dashboard", "返回概览";
    Dismiss => "Dismiss", "关闭";
    Loading => "Loading…", "加载中…";
    Required => "This field is required.", "此项必填。";

    // Dashboard
    BackendTitle => "Backend", "后端";
    CheckingBackend => "Checking the backend…", "正在检查后端…";
    HealthStatus => "Status", "状态";
    HealthVersion => "Version", "版本";
    HealthMode => "Mode", "模式";
    ModeSandbox => "sandbox", "沙箱";
    ModeLive => "live", "正式";
    SignedInTitle => "Signed in as", "当前用户";
    RoleLabel => "Role", "角色";
    RoleViewer => "viewer", "只读";
    RoleOperator => "operator", "操作员";
    RoleAdmin => "admin", "管理员";
    EmailLabel => "Email", "邮箱";
    SubjectLabel => "User ID", "用户 ID";
    SignInMode => "Sign-in mode", "登录方式";
    DevModeBanner => "Development sign-in: anyone who reaches this console acts as the configured developer user. Never run this mode in production.",
        "开发登录模式：任何能访问本控制台的人都以预设的开发者身份操作。切勿在生产环境使用。";
    AccountsTitle => "Provider accounts", "服务商账号";
    ProviderLabel => "Provider", "服务商";
    NoAccounts => "No provider account is configured.", "尚未配置服务商账号。";
    ProviderTencent => "Tencent Meeting", "腾讯会议";
    ProviderCcc => "Alibaba Cloud Contact Center", "阿里云云呼叫中心";
    SandboxAccount => "sandbox", "沙箱";
    InstancesLabel => "Instances", "实例";
    RecentJobsTitle => "Latest jobs", "最近的任务";
    NoJobsYet => "No jobs yet.", "还没有任务。";
    AllJobs => "All jobs", "全部任务";
    NavJobs => "Jobs", "任务";
    JobsIntro => "Every callout job and DialEx list, newest first. Filters stay in the address, so a view can be bookmarked.",
        "全部外呼任务与 DialEx 列表，最新的在前。筛选条件保存在地址中，可收藏。";
    JobsSearchLabel => "Name or job id", "名称或任务 ID";
    ClearFilters => "Clear", "清除";
    NoJobsMatch => "No job matches these filters.", "没有符合条件的任务。";
    JobsMatching => "{count} jobs", "共 {count} 个任务";
    JobTitleLabel => "Job", "任务";
    FinishedOfAccepted => "Finished / accepted", "已结束 / 已受理";
    JobStartedAt => "Started", "开始时间";
    SubmittedBy => "Submitted by", "提交人";
    CallsByStatus => "Calls by status", "各状态呼叫数";
    ViewerReadOnly => "Your role is viewer: you can look around, but only operators and admins can place calls.",
        "您的角色是只读：可以查看，但只有操作员和管理员可以发起呼叫。";

    // Errors, by backend code
    ErrUnauthenticated => "You are not signed in, or your session has expired. Sign in again.", "您尚未登录或登录已过期，请重新登录。";
    ErrForbidden => "Your role does not allow this action.", "您的角色无权执行此操作。";
    ErrCsrfHeaderMissing => "The request was refused because a security header was missing. Reload the page.", "请求缺少安全请求头而被拒绝，请刷新页面。";
    ErrCrossSiteRequest => "The request was refused because it came from another site.", "请求来自其他站点，已被拒绝。";
    ErrInvalidRequest => "Something in the form is not right.", "表单中有内容不正确。";
    ErrInvalidNumber => "A phone number cannot be dialled.", "有电话号码无法拨打。";
    ErrNotFound => "What you asked for does not exist.", "请求的对象不存在。";
    ErrDoNotCall => "This number is on the do-not-call list. Nothing was dialled.", "该号码在禁呼名单上，未发起任何呼叫。";
    ErrConflict => "This conflicts with a request already made (same request key, different content).", "与已提交的请求冲突（请求键相同但内容不同）。";
    ErrInProgress => "The same request is still being processed. Wait for its answer before sending it again.", "相同的请求仍在处理中，请等待结果后再提交。";
    ErrDoNotCallConfigured => "This number is on the list through the configuration file; change it there.", "该号码通过配置文件列入名单，请在配置文件中修改。";
    ErrRateLimited => "The provider is limiting requests. Wait a moment and try again.", "服务商正在限流，请稍后再试。";
    ErrProviderUnreachable => "The provider cannot be reached. Nothing was dialled.", "无法连接服务商，未发起任何呼叫。";
    ErrProviderOutcomeUnknown => "The provider's answer was lost: the call may or may not have been placed. Check before trying again.",
        "未收到服务商的应答：呼叫可能已发起，也可能没有。请先核实再重试。";
    ErrProviderError => "The provider refused the request.", "服务商拒绝了请求。";
    ErrProviderPermissionDenied => "The provider says this account may not do this.", "服务商表示此账号无权执行该操作。";
    ErrProviderCredentialsRejected => "The provider rejected the account's credentials. Ask an admin to check them.", "服务商拒绝了账号凭据，请联系管理员检查。";
    ErrMeetingNotFound => "The meeting does not exist.", "会议不存在。";
    ErrMeetingEnded => "The meeting has ended.", "会议已结束。";
    ErrMeetingNotCallable => "This meeting takes no phone callouts.", "该会议不支持电话外呼。";
    ErrStorageUnavailable => "The console cannot record anything (its disk is full or read-only), so nothing was dialled.", "控制台无法写入记录（磁盘已满或只读），未拨打任何号码。";
    ErrInternal => "The backend hit an internal error.", "后端发生内部错误。";
    ErrUnknownCode => "The request failed.", "请求失败。";
    ErrNetwork => "The backend cannot be reached. Check the connection and try again.", "无法连接后端，请检查网络后重试。";
    ErrDecode => "The backend answered something this page does not understand.", "后端返回了无法识别的内容。";
    ErrEndpointMissing => "The backend does not offer this action yet (HTTP {status}).", "后端暂不支持此操作（HTTP {status}）。";
    ProviderCodeLabel => "provider code", "服务商错误码";

    // Number problems, by normaliser code
    ProblemEmpty => "No number was entered.", "未填写号码。";
    ProblemNotANumber => "This is not a phone number.", "这不是电话号码。";
    ProblemInvalidCountryCode => "Unknown country calling code.", "国家/地区代码无效。";
    ProblemTooShort => "Too short for a number of this country.", "号码位数过短。";
    ProblemTooLong => "Too long for a number of this country.", "号码位数过长。";
    ProblemNotAValidNumber => "No such number exists in this country's numbering plan.", "该号码不在此国家/地区的号码规划内。";
    ProblemInvalidExtension => "An extension may only hold digits, * and #, at most 20.", "分机号只能包含数字、* 和 #，最多 20 位。";

    // Why a row was not dialled or did not get through, by reason code
    ReasonNoExtensions => "The contact center cannot dial an extension; give the number without it.", "云呼叫中心无法拨打分机号，请去掉分机号。";
    ReasonSameAsRow => "Same number as row {detail}.", "与第 {detail} 行号码相同。";
    ReasonInAnotherJob => "Already being called in this meeting (job {detail}).", "该号码正在本会议的另一任务中呼叫（任务 {detail}）。";
    ReasonDoNotCall => "On the do-not-call list.", "在禁呼名单中。";
    ReasonProviderRefusedNumber => "Refused by the provider: {detail}", "服务商拒绝呼叫此号码：{detail}";
    ReasonProviderRefused => "The provider refused the request ({detail}).", "服务商拒绝了请求（{detail}）。";
    ReasonNotSent => "Not sent: the provider did not take the request ({detail}).", "未发送：服务商未受理请求（{detail}）。";
    ReasonNotInAnswer => "The provider's answer did not mention this number.", "服务商的应答中没有此号码。";
    ReasonOutcomeUnknown => "Outcome unknown ({detail}); not re-dialled automatically.", "结果未知（{detail}），不会自动重拨。";
    ReasonInterrupted => "The backend stopped while this batch was being sent; it may have been dialled.", "发送此批次时后端停止，可能已经拨出。";
    ReasonStopped => "Not sent: the job was stopped by {detail}.", "未发送：任务已被 {detail} 停止。";
    ReasonNotRecorded => "The outcome could not be recorded (database error); it may have been dialled.", "结果未能记录（数据库错误），可能已经拨出。";
    ReasonNoOutcomeReported => "The contact center reported no outcome within {detail} minutes; not re-dialled automatically.",
        "呼叫中心在 {detail} 分钟内未报告通话结果，不会自动重拨。";
    ReasonOutcomeNotRecognised => "The contact center ended the call as \"{detail}\", which the console does not recognise.",
        "呼叫中心报告的通话结果为“{detail}”，本系统无法识别。";

    // DialEx
    DialExTitle => "Contact Center DialEx", "云呼叫中心 DialEx 外呼";
    DialExIntro => "One back-office call through Alibaba Cloud Contact Center, routed to an IVR flow, an agent or a skill group once answered.",
        "通过阿里云云呼叫中心发起一通后台外呼，接通后转到 IVR 流程、坐席或技能组。";
    AccountLabel => "Account", "账号";
    NoCccAccounts => "No Alibaba Cloud Contact Center account is configured.", "尚未配置阿里云云呼叫中心账号。";
    InstanceLabel => "Instance", "实例";
    CallerLabel => "Caller number", "主叫号码";
    CallerHelp => "The number the callee sees; it must belong to the instance.", "被叫看到的号码，须属于该实例。";
    CalleeLabel => "Callee number", "被叫号码";
    CalleeHelp => "The number to dial.", "要拨打的号码。";
    AnswerModeLabel => "When answered, connect to", "接通后转到";
    ModeIvr => "IVR (contact flow)", "IVR（联系流程）";
    ModeAgent => "Agent", "坐席";
    ModeSkillGroup => "Skill group", "技能组";
    RoutIvrLabel => "Contact-flow ID", "联系流程 ID";
    RoutIvrHelp => "The ID of a published contact flow of the instance.", "实例中已发布的联系流程 ID。";
    RoutAgentLabel => "Agent (ram_id@domain)", "坐席（ram_id@域名）";
    RoutAgentHelp => "The agent's RAM id, then @, then the instance domain. The domain is case-sensitive.", "坐席的 RAM ID、@、实例域名。域名区分大小写。";
    RoutSkillLabel => "Skill-group ID", "技能组 ID";
    RoutSkillHelp => "The ID of a skill group of the instance.", "实例中技能组的 ID。";
    PlaceCall => "Place call", "发起呼叫";
    PlacingCall => "Placing the call…", "正在发起呼叫…";
    CallAccepted => "The provider accepted the call.", "服务商已受理呼叫。";
    ResultTitle => "Call accepted", "呼叫已受理";
    TaskIdLabel => "Task ID", "任务 ID";
    ProviderStatusLabel => "Provider status", "服务商状态";
    RequestIdLabel => "Request ID", "请求 ID";
    DialExModeLabel => "Call", "呼叫方式";
    DialExOne => "One number", "单个号码";
    DialExList => "A list of numbers", "号码列表";
    DialExListHelp => "Each number is one DialEx call with the route below, recorded before it is sent, paced, and followed live.",
        "每个号码是一通使用下方路由的 DialEx 呼叫：发送前先记录，按速率发送，并实时跟踪。";
    ConfirmDialExTitle => "Confirm the DialEx calls", "确认 DialEx 外呼";
    RoutPointLabel => "Route point", "路由点";

    // Number entry
    NumbersTitle => "Numbers", "号码";
    ColCountryCode => "Country code", "国家/地区代码";
    ColNumber => "Number", "号码";
    ColExtension => "Extension", "分机";
    ColNickname => "Nickname", "昵称";
    ColCheck => "Check", "校验";
    RowField => "{field}, row {row}", "第 {row} 行{field}";
    AddRow => "Add row", "添加一行";
    RemoveRow => "Remove row {row}", "删除第 {row} 行";
    PasteLabel => "Paste a list", "粘贴号码列表";
    PasteHelp => "One number per line: number; number, nickname; or country code, number, extension, nickname. Separate columns with commas, semicolons or tabs.",
        "每行一个号码：号码；号码、昵称；或 国家/地区代码、号码、分机、昵称。各列用逗号、分号或制表符分隔。";
    AddPasted => "Add these numbers", "添加这些号码";
    ImportCsv => "Import CSV", "导入 CSV";
    DownloadTemplate => "Download CSV template", "下载 CSV 模板";
    Checking => "Checking…", "校验中…";
    DuplicateOf => "Duplicate of row {row}", "与第 {row} 行重复";
    CheckFailed => "The numbers could not be checked.", "号码校验失败。";
    RowsAdded => "{count} rows added.", "已添加 {count} 行。";
    NumbersSummary => "{valid} valid · {invalid} invalid · {duplicates} duplicates · {blocked} do-not-call",
        "有效 {valid} · 无效 {invalid} · 重复 {duplicates} · 禁呼 {blocked}";
    OnDoNotCallList => "on the do-not-call list: it will not be called", "在禁呼名单中：不会呼叫";

    // Meeting callout
    CalloutTitle => "Meeting callout", "会议外呼";
    CalloutIntro => "Call phone numbers into a Tencent Meeting. Numbers are checked as you type and sent in batches of 50.",
        "将电话号码呼入腾讯会议。号码在输入时即时校验，按每批 50 个发送。";
    NoTencentAccounts => "No Tencent Meeting account is configured.", "尚未配置腾讯会议账号。";
    MeetingIdLabel => "Meeting ID", "会议 ID";
    MeetingIdHelp => "The meeting's numeric ID (up to 20 digits), not the 9-digit meeting code.", "会议的数字 ID（最多 20 位），不是 9 位会议号。";
    MeetingIdDigits => "A meeting ID has only digits.", "会议 ID 只能包含数字。";
    Review => "Review", "检查并确认";
    ConfirmTitle => "Confirm the callout", "确认外呼";
    ConfirmValid => "Valid numbers to call", "将呼叫的有效号码";
    ConfirmBatches => "Batches of 50", "批次（每批 50 个）";
    ConfirmMeeting => "Meeting", "会议";
    ConfirmSkipped => "{count} invalid, duplicate or do-not-call rows will not be called.", "{count} 行无效、重复或禁呼的号码不会被呼叫。";
    StartCalling => "Start calling", "开始呼叫";
    Starting => "Starting…", "正在启动…";
    Back => "Back", "返回修改";
    NeedValidNumbers => "Add at least one valid number.", "请至少添加一个有效号码。";
    WaitForChecks => "Wait until every number is checked.", "请等待全部号码校验完成。";

    // Live job view
    JobTitle => "Callout to meeting {job}", "外呼到会议 {job}";
    DialExJobTitle => "DialEx calls to {job}", "DialEx 外呼到 {job}";
    JobKindLabel => "Kind", "类型";
    JobTargetLabel => "Meeting or route", "会议或路由";
    CallsSent => "Calls sent", "已发送呼叫";
    BatchCapRefused => "The provider refused batches of {refused} numbers: this job now sends batches of {cap}.",
        "服务商拒绝了每批 {refused} 个号码的请求：本任务现改为每批 {cap} 个发送。";
    LiveConnected => "Live updates on.", "实时更新中。";
    LiveReconnecting => "Live updates paused: reconnecting…", "实时更新已中断，正在重连…";
    JobStateLabel => "State", "状态";
    JobDialling => "Dialling", "呼叫中";
    JobFollowing => "Following calls", "跟踪通话中";
    JobPaused => "Paused", "已暂停";
    PauseJob => "Pause sending", "暂停发送";
    ResumeJob => "Resume sending", "继续发送";
    StopJob => "Stop sending", "停止发送";
    StopJobConfirm => "Never send the {count} numbers not sent yet? Calls already sent go on. This cannot be undone.",
        "不再发送尚未发送的 {count} 个号码？已发出的呼叫不受影响。此操作无法撤销。";
    PauseDone => "{count} numbers not sent yet are held until you resume.", "尚未发送的 {count} 个号码已暂停，继续后再发送。";
    ResumeDone => "{count} numbers are being sent again.", "{count} 个号码已继续发送。";
    StopDone => "{count} numbers will not be sent.", "{count} 个号码将不再发送。";
    PausedNote => "Sending is paused: {count} numbers wait. Calls already sent are still followed.",
        "发送已暂停：{count} 个号码等待中。已发出的呼叫仍在跟踪。";
    JobFinished => "Finished", "已结束";
    NotDialledCount => "Not dialled", "未呼叫";
    BatchesSent => "Batches sent", "已发送批次";
    Accepted => "Accepted by the provider", "服务商已受理";
    ProviderInvalid => "Refused by the provider", "服务商拒绝";
    Finished => "Finished calls", "已结束的呼叫";
    StatusQueued => "Queued", "排队中";
    StatusRinging => "Ringing", "振铃中";
    StatusAnswered => "Answered", "已接通";
    StatusCompleted => "Completed", "已完成";
    StatusNotAnswered => "Not answered", "未接听";
    StatusCanceled => "Canceled", "已取消";
    StatusFailed => "Failed", "失败";
    StatusPlaced => "Placed", "已交由呼叫中心";
    StatusUnknown => "Outcome unknown", "结果未知";
    PhaseInvalid => "Invalid", "无效";
    PhaseDuplicate => "Duplicate", "重复";
    PhaseBlocked => "Do not call", "禁止呼叫";
    PhaseStopped => "Stopped", "已停止";
    ExportCsv => "Export CSV", "导出 CSV";
    CancelRinging => "Cancel ringing calls", "取消振铃中的呼叫";
    CancelDone => "{count} ringing calls canceled.", "已取消 {count} 个振铃中的呼叫。";
    ActAsLabel => "Calls go out as", "呼叫发起人";
    ActAsHelp => "Admins: the Tencent Meeting userid to act for (a host or co-host of the meeting); empty means your own.",
        "管理员：代为操作的腾讯会议 userid（须为会议主持人或联席主持人）；留空则为您本人。";
    CheckingMeeting => "Checking the meeting…", "正在查询会议…";
    MeetingSubjectLabel => "Subject", "会议主题";
    MeetingTimeLabel => "Booked", "预定时间";
    MeetingScheduled => "Not started yet (the calls start it)", "尚未开始（外呼后开始）";
    MeetingStarted => "In progress", "进行中";
    OperatorHosts => "a host of this meeting", "是本会议的主持人";
    OperatorNotHost => "not a host or co-host of this meeting: the provider will refuse the calls", "不是本会议的主持人或联席主持人：服务商将拒绝呼叫";
    OperatorHostUnknown => "the provider did not list the hosts", "服务商未列出主持人";
    ActionCalloutJob => "Callout job", "外呼任务";
    ActionDialexJob => "DialEx list", "DialEx 列表";
    ActionMeetingCallout => "One-batch callout", "单批外呼";
    ActionRetryUnknown => "Retry unknown outcomes", "重试结果未知的呼叫";
    ActionCalloutCancel => "Cancel ringing calls", "取消振铃";
    ActionRoomCall => "Room call", "会议室呼叫";
    ActionRoomCallCancel => "Cancel room call", "取消会议室呼叫";
    ActionDialex => "DialEx call", "DialEx 呼叫";
    ActionJobPause => "Job: pause", "任务：暂停";
    ActionJobResume => "Job: resume", "任务：继续";
    ActionJobStop => "Job: stop", "任务：停止";
    ActionJobRetryPolicy => "Job: retry policy", "任务：重拨策略";
    ActionDncAdd => "Do-not-call: add", "禁呼名单：添加";
    ActionDncRemove => "Do-not-call: remove", "禁呼名单：移除";
    OutcomeOk => "done", "成功";
    OutcomeRefused => "refused by the console", "被控制台拒绝";
    OutcomeRejected => "refused by the provider", "被服务商拒绝";
    OutcomeNotSent => "not sent", "未发送";
    OutcomeAlreadyListed => "listed already", "已在名单中";
    ReportTitle => "Outcomes", "呼叫结果";
    ReportCalls => "Calls", "呼叫数";
    ReportRate => "Share", "占比";
    ReportMedianAnswer => "Median time to answer", "接听用时（中位数）";
    ReportMedianLength => "Median call length", "通话时长（中位数）";
    ReportChart => "Calls ended over time, by outcome", "各时段结束的呼叫（按结果）";
    RetryNotAnswered => "Call the {count} not answered again", "重新呼叫 {count} 个未接听的号码";
    RetryNotAnsweredConfirm => "Start a new job calling the {count} numbers that did not answer, in the same meeting?",
        "新建任务，在同一会议中重新呼叫 {count} 个未接听的号码？";
    RetryNotAnsweredName => "{job} · not answered, again", "{job} · 未接听重呼";
    ColAnsweredAfter => "Answered after", "接听用时";
    ColCallLength => "Length", "通话时长";
    JobNameLabel => "Job name or note (optional)", "任务名称或备注（可选）";
    JobNameHelp => "Shown as the job's title in the job list, e.g. \"Board meeting dial-in\".", "在任务列表中作为任务标题显示，例如“董事会电话接入”。";
    CancelRingingConfirm => "Hang up {count} calls that are ringing or waiting to ring? This cannot be undone.",
        "挂断 {count} 个正在振铃或等待振铃的呼叫？此操作无法撤销。";
    RetryUnknown => "Retry unknown outcomes", "重试结果未知的号码";
    RetryTitle => "Dial the unknown outcomes again?", "重新呼叫结果未知的号码？";
    RetryWarning => "{count} numbers have an unknown outcome: the provider may already have called them. Retrying can ring them a second time.",
        "{count} 个号码结果未知：服务商可能已经呼叫过它们。重试可能使对方再次振铃。";
    RetryConfirm => "Yes, dial them again", "确认重新呼叫";
    RetryDone => "{count} numbers queued again.", "已重新排队 {count} 个号码。";
    FilterLabel => "Show", "显示";
    FilterAll => "All rows", "全部";
    SearchLabel => "Search", "搜索";
    SortLabel => "Sort by", "排序";
    SortRow => "Row", "行";
    Descending => "Descending", "降序";
    ColInput => "Input", "输入";
    ColBatch => "Batch", "批次";
    ColStatus => "Status", "状态";
    ColReason => "Reason", "原因";
    CopyRows => "Copy the shown rows", "复制显示的行";
    Copy => "Copy", "复制";
    Copied => "Copied", "已复制";
    RowsMatching => "{count} rows", "共 {count} 行";
    Pages => "Pages", "分页";
    PreviousPage => "Previous", "上一页";
    NextPage => "Next", "下一页";
    PageOf => "Page {page} of {pages}", "第 {page} / {pages} 页";

    // Room call
    RoomCallIntro => "Invite a Tencent meeting room, or a SIP / H.323 video device by its address, into a meeting.",
        "邀请腾讯会议室，或按地址邀请 SIP / H.323 视频设备加入会议。";
    RoomTargetLabel => "Whom to invite", "邀请对象";
    TargetRoom => "A meeting room, by its ID", "会议室（按 ID）";
    TargetAddress => "A device, by SIP or H.323 address", "设备（按 SIP 或 H.323 地址）";
    RoomIdLabel => "Meeting room ID", "会议室 ID";
    RoomIdHelp => "The room's ID in Tencent Meeting's room management.", "腾讯会议会议室管理中的会议室 ID。";
    ProtocolLabel => "Protocol", "协议";
    DialStringLabel => "Address", "地址";
    DialStringHelp => "SIP: user@host or host, optionally sip: and :port. H.323: host, alias@host, host##alias or host/E.164.",
        "SIP：user@host 或 host，可带 sip: 与 :端口。H.323：host、alias@host、host##alias 或 host/E.164。";
    DialTooLong => "At most 256 characters.", "最多 256 个字符。";
    DialWhitespace => "An address has no spaces.", "地址不能包含空格。";
    DialNotSip => "Not a SIP address (user@host or host, optionally sip: and :port).", "不是有效的 SIP 地址（user@host 或 host，可带 sip: 与 :端口）。";
    DialNotH323 => "Not an H.323 address (host, alias@host, host##alias or host/E.164).", "不是有效的 H.323 地址（host、alias@host、host##alias 或 host/E.164）。";
    InviteRoom => "Invite", "发起邀请";
    InvitationTitle => "Invitation", "邀请";
    InviteIdLabel => "Invite ID", "邀请 ID";
    ResponseTime => "Answered at", "响应时间";
    RoomStateNoAnswer => "no answer", "无应答";
    RoomStateNotCalled => "not called", "未呼叫";
    RoomStateJoining => "joining", "入会中";
    RoomStateRejected => "rejected", "已拒绝";
    RoomStateCalling => "calling", "呼叫中";
    RoomStateCancelled => "cancelled", "已取消";
    RoomStateLeft => "left", "已离会";
    CancelInvitation => "Cancel the invitation", "取消邀请";
    RoomCallCanceled => "The invitation was canceled.", "邀请已取消。";

    // ms_open_id lookup
    MsOpenIdIntro => "The meeting member ids of phone numbers that joined the meeting. A number that joined twice has two; one that never connected has none.",
        "查询已入会电话号码的会议成员 ID。入会两次的号码有两个；从未接通的号码没有。";
    LookUp => "Look up", "查询";
    MsOpenIdResults => "Results", "查询结果";
    NoMsOpenId => "None: the number has not joined.", "无：该号码尚未入会。";
    CopyIdOf => "Copy the ms_open_id of {number}", "复制 {number} 的 ms_open_id";

    // Audit log
    NavAudit => "Audit log", "审计日志";
    AuditUser => "User", "用户";
    AuditAction => "Action", "操作";
    AuditFrom => "From (day)", "起始日期";
    AuditTo => "To (day)", "截止日期";
    DateHint => "yyyy-mm-dd", "年-月-日";
    // Campaigns: schedule, calling window, retry policy
    CampaignTitle => "When to dial", "拨打时间";
    StartAtLabel => "Start at", "开始时间";
    StartAtHelp => "Your local time. Empty: at once. The job waits, listed as scheduled, and can be cancelled until then.", "按本地时间。留空：立即开始。在此之前任务显示为“已排期”，可随时取消。";
    OwnWindowLabel => "Only call in these hours (otherwise the account's calling window, if it has one)", "只在以下时段拨打（否则使用账号的拨打时段，如有）";
    CampaignWindow => "Calling window", "拨打时段";
    WindowFromLabel => "From", "从";
    WindowToLabel => "To (24:00 is midnight; earlier than From runs past midnight)", "到（24:00 为午夜；早于开始时间则跨过午夜）";
    TimeZoneLabel => "Time zone (IANA, e.g. Asia/Shanghai)", "时区（IANA 名称，如 Asia/Shanghai）";
    RetryLabel => "Call again numbers that did not answer", "未接听的号码再次拨打";
    AttemptsLabel => "Attempts in all", "总拨打次数";
    AttemptsHelp => "1 to 10, the first call included. Unknown outcomes are never called again by the policy.", "1 到 10 次，含第一次。结果未知的号码不会被自动重拨。";
    SpacingLabel => "Minutes between attempts", "两次拨打间隔（分钟）";
    PreviewDialling => "Show when it will dial", "查看拨打时间";
    PreviewAnyTime => "No calling window: it dials from the start time on.", "无拨打时段：从开始时间起拨打。";
    PreviewDefaultWindow => "The account's calling window applies. The next openings:", "使用账号的拨打时段。接下来可拨打的时段：";
    PreviewOwnWindow => "The next openings of this window:", "该时段接下来可拨打的时间：";
    Mon => "Mon", "周一";
    Tue => "Tue", "周二";
    Wed => "Wed", "周三";
    Thu => "Thu", "周四";
    Fri => "Fri", "周五";
    Sat => "Sat", "周六";
    Sun => "Sun", "周日";
    JobScheduled => "Scheduled", "已排期";
    WaitingScheduled => "Waits for its start time; dialling begins", "等待开始时间；开始拨打于";
    WaitingOutsideWindow => "Outside its calling window; dialling resumes", "不在拨打时段内；恢复拨打于";
    WaitingRetrySpacing => "The next attempts wait for their spacing; dialling resumes", "下一轮拨打在间隔后进行；恢复拨打于";
    CampaignStarts => "Starts", "开始";
    CampaignRetryPolicy => "Retry policy", "重拨策略";
    RetryPolicyLine => "up to {max} attempts, {minutes} minutes apart", "最多 {max} 次，间隔 {minutes} 分钟";
    DefaultWindowMark => "(the account's)", "（账号默认）";
    AttemptOf => "attempt {n} of {max}", "第 {n}/{max} 次";
    AttemptNextAt => "{attempt}, next at {time}", "{attempt}，下次 {time}";
    EarlierAttempts => "Earlier attempts", "此前的拨打";
    CancelSchedule => "Cancel", "取消排期";
    AuditWhen => "When", "时间";
    AuditTarget => "Target", "对象";
    AuditOutcome => "Outcome", "结果";
    ApplyFilters => "Apply filters", "应用筛选";
    NothingFound => "Nothing found.", "没有记录。";

    // Callout status
    StatusIntro => "The provider's list of every callout of a meeting, whoever placed it. Calls placed by this console's jobs name who submitted them.",
        "服务商记录的会议全部外呼，无论由谁发起。本控制台任务发起的呼叫会注明提交人。";
    ShowList => "Show the list", "显示列表";
    AutoRefresh => "Refresh every 5 seconds", "每 5 秒刷新";
    PageSize => "Rows per page", "每页行数";
    OursLabel => "Placed here by", "本台发起人";

    // Do-not-call list
    DncIntro => "No callout job ever dials a number on this list: such rows show as Do not call.",
        "任何外呼任务都不会拨打名单上的号码，这些行会显示为“禁止呼叫”。";
    DncAdminsOnly => "Only admins change this list.", "只有管理员可以修改此名单。";
    DncNumberHelp => "With + and the country code, or a mainland China number.", "带 + 和国家/地区代码，或中国大陆号码。";
    DncNoteLabel => "Note (optional)", "备注（可选）";
    DncNote => "Note", "备注";
    DncAdd => "Add to the list", "加入名单";
    DncAdded => "{number} is on the do-not-call list.", "{number} 已加入禁呼名单。";
    DncAlreadyListed => "{number} was on the do-not-call list already; its note is kept.", "{number} 已在禁呼名单中，原备注保留。";
    DncRemove => "Remove {number}", "移除 {number}";
    DncRemoveConfirm => "Remove {number} from the do-not-call list? Callout jobs will be able to dial it again.",
        "将 {number} 移出禁呼名单？之后的外呼任务将可以拨打它。";
    DncRemoved => "{number} was removed from the do-not-call list.", "{number} 已移出禁呼名单。";
    DncConfigured => "configuration file", "配置文件";
    DncAddedBy => "Added by", "添加人";
    DncAddedAt => "Added", "添加时间";
    DncEmpty => "The list is empty.", "名单为空。";
    RemoveLabel => "Remove", "移除";
}
