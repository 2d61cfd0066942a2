using System.ComponentModel.DataAnnotations;

namespace Bulwark.Core.Security.Users;

/// <summary>Sign-in and session settings of the moderator console (<c>Bulwark:Console</c>).</summary>
public sealed class ConsoleUserOptions
{
    public const string Section = "Bulwark:Console";

    /// <summary>
    /// Shortest password. Length, not character classes, is what makes a password hard to guess (NIST SP 800-63B), so
    /// there are no composition rules beyond a few distinct characters.
    /// </summary>
    [Range(8, 128)] public int MinPasswordLength { get; set; } = 12;
    [Range(1, 20)] public int MinUniqueChars { get; set; } = 5;

    /// <summary>
    /// PBKDF2-HMAC-SHA512 iterations for stored passwords. Identity's default is 100,000; OWASP's current advice for SHA-512
    /// is 210,000. Each sign-in costs one hash, so this is a per-login cost, not a per-request one.
    /// </summary>
    [Range(100_000, 10_000_000)] public int PasswordIterations { get; set; } = 210_000;

    /// <summary>Wrong passwords (or second-factor codes) in a row before the account is locked.</summary>
    [Range(1, 100)] public int MaxFailedAttempts { get; set; } = 5;
    [Range(1, 1440)] public int LockoutMinutes { get; set; } = 15;

    /// <summary>A session ends after this long without a request (sliding).</summary>
    [Range(1, 1440)] public int IdleTimeoutMinutes { get; set; } = 30;

    /// <summary>
    /// Mark the console's cookies Secure. Keep it on: browsers treat http://127.0.0.1 and http://localhost as secure contexts
    /// and keep Secure cookies there. Turn it off only behind a plain-HTTP address other than loopback (not recommended).
    /// </summary>
    public bool SecureCookies { get; set; } = true;

    /// <summary>The issuer shown in authenticator apps (otpauth URI).</summary>
    [Required, MinLength(1)] public string TotpIssuer { get; set; } = "Bulwark";
}
