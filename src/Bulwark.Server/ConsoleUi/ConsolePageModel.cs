using System.Globalization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Bulwark.Server.ConsoleUi;

/// <summary>Base of the console's pages: who is acting (the audit actor) and a message to show after a redirect.</summary>
public abstract class ConsolePageModel : PageModel
{
    /// <summary>The signed-in user's name, recorded as the actor of every change made through the page.</summary>
    public string Actor => User.Identity?.Name ?? throw new InvalidOperationException("A console change needs a signed-in user.");

    /// <summary>Shows one line above the next page (kept across the post-redirect-get in TempData).</summary>
    protected void Flash(string message) => TempData["Flash"] = message;

    /// <summary>Problems of the last submitted form, shown as text.</summary>
    public List<string> Errors { get; } = [];
}

/// <summary>Dates and numbers in the user's language. Times are shown in UTC, as stored and as the audit log records them.</summary>
public static class Display
{
    public static string When(DateTimeOffset? t) =>
        t is { } v ? v.UtcDateTime.ToString("d MMM yyyy, HH:mm", CultureInfo.CurrentCulture) + " UTC" : "";

    public static string Day(DateOnly? d) => d?.ToString("d MMM yyyy", CultureInfo.CurrentCulture) ?? "";

    public static string Number(long n) => n.ToString("N0", CultureInfo.CurrentCulture);

    /// <summary>Only http(s) links become links; anything else (javascript:, data:) is shown as text.</summary>
    public static bool IsWebLink(string? s) =>
        Uri.TryCreate(s, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps);
}
