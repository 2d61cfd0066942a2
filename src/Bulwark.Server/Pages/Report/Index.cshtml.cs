using Bulwark.Core.Notices;
using Bulwark.Server.ConsoleUi;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Bulwark.Server.Pages.Report;

/// <summary>
/// The public notice form (DSA Art. 16; no account needed): the exact location, the explanation, the notifier's name and
/// e-mail (optional) and the good-faith statement. Floods are held back by a per-address limit and a proof of work the
/// browser solves while the form is filled in (<see cref="FormGuard"/>); the receipt is shown at once.
/// </summary>
public sealed class ReportModel(NoticeService notices, FormGuard guard, IStringLocalizer<NoticeText> t) : ConsolePageModel
{
    [BindProperty] public string? Location { get; set; }
    [BindProperty] public string? Explanation { get; set; }
    [BindProperty] public string? NotifierName { get; set; }
    [BindProperty] public string? NotifierEmail { get; set; }
    [BindProperty] public bool GoodFaith { get; set; }
    [BindProperty] public string? Puzzle { get; set; }
    [BindProperty] public string? Counter { get; set; }
    public NoticeReceipt? Receipt { get; private set; }
    public int Bits => guard.Bits;
    public string Language => System.Globalization.CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "it" ? "it" : "en";
    /// <summary>Field errors by form field, shown beside the field and in the summary.</summary>
    public Dictionary<string, string> FieldErrors { get; } = new(StringComparer.Ordinal);

    public void OnGet() => Puzzle = guard.NewChallenge();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var address = HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var pow = await guard.CheckAsync(Puzzle, Counter, ct);
        if (pow is not null)
        {
            Errors.Add(t["Report_Error_Pow"]);
            return Again(StatusCodes.Status400BadRequest);
        }
        if (!await guard.TryCountAsync(address, ct))
        {
            Errors.Add(t["Report_Error_Rate"]);
            return Again(StatusCodes.Status429TooManyRequests);
        }
        var location = Location?.Trim();
        var isUrl = location is not null && (location.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || location.StartsWith("https://", StringComparison.OrdinalIgnoreCase));
        var result = await notices.SubmitAsync(new NoticeSubmission(isUrl ? null : location, isUrl ? location : null, Explanation,
            new NotifierInput(NotifierName, NotifierEmail), GoodFaith, null, Language), "form", ct);
        if (!result.Ok)
        {
            foreach (var e in result.Errors)
            {
                var field = e.Field switch { "contentId" or "url" => "Location", "explanation" => "Explanation", "notifier.name" => "NotifierName", "notifier.email" => "NotifierEmail", "goodFaith" => "GoodFaith", _ => "Location" };
                FieldErrors.TryAdd(field, t["Report_Error_" + field]);
            }
            return Again(StatusCodes.Status400BadRequest);
        }
        Receipt = result.Receipt;
        return Page();
    }

    private PageResult Again(int status)
    {
        Response.StatusCode = status;
        Puzzle = guard.NewChallenge(); // a spent or bad challenge is replaced; the browser solves the new one
        Counter = null;
        return Page();
    }
}
