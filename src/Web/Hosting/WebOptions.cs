namespace CareTwin.Web.Hosting;

/// <summary>The web's settings (configuration section "Web").</summary>
public sealed class WebOptions
{
    public const string SectionName = "Web";

    /// <summary>The boards coordinators can open; the first is where they land. In demo mode the demo region's boards are added.</summary>
    public List<BoardChoice> Boards { get; set; } = [];

    /// <summary>Hospital names by hospital key, for boards and child pages (the key is shown when a name is missing).</summary>
    public Dictionary<string, string> Hospitals { get; set; } = [];

    /// <summary>Staff who sign in with a password: accounts for small sites without an identity provider.</summary>
    public List<StaffAccount> Staff { get; set; } = [];

    /// <summary>How many wrong passwords lock a staff account, and for how long.</summary>
    public SignIn.LockoutOptions Lockout { get; set; } = new();

    /// <summary>Staff sign-in through the organisation's identity provider (OpenID Connect, e.g. NHS Care Identity Service 2).</summary>
    public SignIn.StaffOidcOptions Oidc { get; set; } = new();

    /// <summary>A lasting sign-in families link when they join (OpenID Connect, e.g. NHS login).</summary>
    public SignIn.FamilyOidcOptions FamilyOidc { get; set; } = new();

    /// <summary>How long a sign-in lasts without use.</summary>
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromHours(8);

    /// <summary>How long a family invite code can be used.</summary>
    public TimeSpan InviteValidFor { get; set; } = TimeSpan.FromDays(7);

    public LiveLimits Live { get; set; } = new();

    /// <summary>What the coordinators' board raises (section "Web:Board").</summary>
    public BoardSettings Board { get; set; } = new();

    /// <summary>
    /// Outside Development every cookie is Secure. True lets cookies answering plain-HTTP requests from a client on this
    /// machine go without Secure, for development clusters and tests whose HTTP clients do not send Secure cookies over
    /// http://127.0.0.1 (browsers do). See <see cref="Security.SecureCookies"/>. Never set it where it is not needed.
    /// </summary>
    public bool AllowInsecureCookiesOnLoopback { get; set; }
}

public sealed class BoardChoice
{
    /// <summary>"hospital:{key}" or "region:{key}".</summary>
    public string Key { get; set; } = "";

    public string Title { get; set; } = "";
}

/// <summary>A staff member's sign-in: the password is stored only as a PBKDF2 hash (see <see cref="SignIn.PasswordHash"/>).</summary>
public sealed class StaffAccount
{
    public string UserName { get; set; } = "";

    public string DisplayName { get; set; } = "";

    /// <summary>"coordinator", "agency-staff" or "operator" (the Orleans dashboard, no child's record).</summary>
    public string Role { get; set; } = "";

    /// <summary>The service an agency staff member works for, e.g. "housing.eastmarsh".</summary>
    public string? Service { get; set; }

    public string PasswordHash { get; set; } = "";
}

public sealed class BoardSettings
{
    /// <summary>
    /// A family's concern the team has neither answered nor closed after this many hours is raised on the board's
    /// row and counted in its totals (the family was told the team would get back to them).
    /// </summary>
    public int ConcernAnswerWithinHours { get; set; } = 48;
}

/// <summary>Limits that keep one browser from overloading the host.</summary>
public sealed class LiveLimits
{
    /// <summary>The largest message a browser may send to the hub.</summary>
    public long MaxMessageBytes { get; set; } = 32 * 1024;

    /// <summary>Hub calls a user may make in a burst...</summary>
    public int CallBurst { get; set; } = 40;

    /// <summary>...and how many more they get each <see cref="CallRefillPeriod"/>.</summary>
    public int CallsPerRefill { get; set; } = 20;

    public TimeSpan CallRefillPeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Live views (groups) one connection may watch at once.</summary>
    public int MaxGroupsPerConnection { get; set; } = 8;

    /// <summary>
    /// The least time between two batches to one live group: a change to a group not sent one within this long goes
    /// at once, and changes arriving sooner go out together once this long has passed since the group's last batch.
    /// </summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// How often every open live view's access is decided again even when nothing changed, so a view whose access
    /// ended (a family member removed, a staff account taken out of configuration) closes within about this long.
    /// </summary>
    public TimeSpan AccessRecheckInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Changes held for one group between its batches; beyond that the group is told to re-read instead.</summary>
    public int MaxPendingPerGroup { get; set; } = 500;

    /// <summary>Page views per signed-in user per minute, or per client address for anyone not signed in.</summary>
    public int PageViewsPerMinute { get; set; } = 300;

    /// <summary>Sign-in and invite-code attempts per client address per minute.</summary>
    public int SignInAttemptsPerMinute { get; set; } = 20;
}
