using Bulwark.Core.Actions.Restrictions;
using Bulwark.Core.Actions.Review;
using Bulwark.Core.Ingest;
using Bulwark.Core.Policy;
using Bulwark.Core.Security;
using Bulwark.Core.Storage;
using Bulwark.Server.ConsoleUi;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using SkiaSharp;

namespace Bulwark.Server.Pages.Queues;

/// <summary>How a media file of a case can be shown.</summary>
public enum MediaState { Image, Video, Missing, Undecodable, Other }

/// <summary>
/// One case: claim state and SLA, the content (text as text, media through <see cref="OnGetMediaAsync"/>), the account's
/// history, every signal with its explanation, the rules that fired, and the decision form. Lives in the Queues folder, so the
/// Queues policy applies (auditors read, deciders write); on top of it only users who may work the case's queue, or auditors,
/// may see a case or its media. The services check roles, claims and fields again on every change.
/// </summary>
public sealed class CaseModel(ReviewDetailService details, ReviewQueueService queues, ReviewDecisionService decisions, WellnessService wellness,
    PolicyStore policies, IMediaStore media, IBulwarkDbFactory dbs, ReviewOptions options, Bulwark.Core.Policy.Enforcement.EnforcementOptions enforcement,
    CaseContextService contexts, CaseNoteService notes, IStringLocalizer<ReviewText> t) : ConsolePageModel
{
    /// <summary>The browser remembers the user's choice to open the next case after a decision (off until they tick it).</summary>
    public const string AdvanceCookie = "bulwark-advance";

    public CaseDetail Detail { get; private set; } = null!;
    public bool MayWork { get; private set; }
    /// <summary>The user's own valid claim token, or null: the form carries it, so a decision under a lost claim is refused.</summary>
    public string? MyClaimToken { get; private set; }
    public DecisionChoices Choices { get; private set; } = null!;
    public WellnessPreferences Preferences { get; private set; } = null!;
    public ReviewStretch? Stretch { get; private set; }
    public IReadOnlyDictionary<int, MediaState> Media { get; private set; } = new Dictionary<int, MediaState>();
    public string SubmissionId { get; } = ReviewUi.NewSubmissionId();
    /// <summary>A violation's plan, shown before it is recorded; the reviewer confirms it (or changes the form).</summary>
    public DecisionSummaryView? Summary { get; private set; }
    /// <summary>Bio, notices, parent of a comment.</summary>
    public CaseContext? Context { get; private set; }
    /// <summary>Internal comments on the case and on its account (staff only).</summary>
    public IReadOnlyList<CaseNote> Notes { get; private set; } = [];
    /// <summary>After a decision, claim and open the next case of the queue.</summary>
    public bool Advance { get; private set; }

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct) => await LoadAsync(id, ct) ?? Page();

    /// <summary>A media file of the case, only for users who may read the case; never sniffed, never cached.</summary>
    public async Task<IActionResult> OnGetMediaAsync(long id, int index, CancellationToken ct)
    {
        if (await details.MediaAsync(id, index, ct) is not { } found) return NotFound();
        if (await RefusedAsync(id, found.Queue, ct) is { } refused) return refused;
        var m = found.Media;
        if (m?.Sha256 is null || media.OpenRead(m.Sha256) is not { } stream) return NotFound();
        Response.Headers.XContentTypeOptions = "nosniff";
        // Disturbing media must not outlive the review in the browser's disk cache.
        Response.Headers.CacheControl = "no-store";
        Response.Headers.ContentDisposition = "inline";
        var type = m.MimeType is { } mt && ReviewUi.ServableTypes.Contains(mt) ? mt : "application/octet-stream";
        return new FileStreamResult(stream, type) { EnableRangeProcessing = true };
    }

    public async Task<IActionResult> OnPostClaimAsync(long id, CancellationToken ct)
    {
        var claim = await queues.ClaimAsync(id, User.ReviewUser(), ct);
        Flash(claim.Ok ? t["Case.Claimed"] : ReviewUi.Refusal(t, claim.Why, claim.Message));
        return Redirect($"/cases/{id}");
    }

    public async Task<IActionResult> OnPostReleaseAsync(long id, string? claimToken, CancellationToken ct)
    {
        var released = await queues.ReleaseAsync(id, claimToken ?? "", User.ReviewUser(), ct);
        Flash(released.Ok ? t["Case.Released"] : ReviewUi.Refusal(t, released.Why, released.Message));
        return Redirect($"/cases/{id}");
    }

    /// <summary>An internal comment on the case or its account, by someone who may work the case.</summary>
    public async Task<IActionResult> OnPostNoteAsync(long id, string? text, string? about, CancellationToken ct)
    {
        if (await LoadDetailAsync(id, ct) is { } refused) return refused;
        if (!MayWork) return StatusCode(StatusCodes.Status403Forbidden);
        var subject = about == "account" && Detail.Case.AccountId is { } account ? CaseNoteService.AccountSubject(account) : CaseNoteService.CaseSubject(id);
        var added = await notes.AddAsync(subject, text, Actor, ct);
        if (added.Ok)
        {
            Flash(t["Notes.Added"]);
            return Redirect($"/cases/{id}#notes");
        }
        Errors.Add(added.Message!);
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return await LoadAsync(id, ct) ?? Page();
    }

    public async Task<IActionResult> OnPostDecideAsync(long id, string? verdict, string? policy, string[]? actions, string? exception, string? note,
        string? escalateTo, string? claimToken, string? submissionId, string? confirmed, string? advance, CancellationToken ct)
    {
        // The choice is remembered for the next case (a preference of this browser, not a decision input).
        Response.Cookies.Append(AdvanceCookie, advance == "1" ? "1" : "0", new CookieOptions
        {
            HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = Request.IsHttps, MaxAge = TimeSpan.FromDays(365), Path = "/",
        });
        Advance = advance == "1";
        // The measures (ticked from the policy's defaults) belong to a violation; other verdicts take none, whatever is ticked.
        var request = new ReviewDecisionRequest(id, claimToken, verdict, Blank(policy), verdict == ReviewVerdict.Violation ? actions : null, Blank(exception), Blank(note), submissionId,
            verdict == ReviewVerdict.Escalate ? Blank(escalateTo) : null);
        // What you see is what happens: a violation is first shown as the restriction writer plans it (the measures, the
        // strike and the threshold it crosses), and recorded only when the reviewer confirms that summary.
        if (verdict == ReviewVerdict.Violation && confirmed != "1")
        {
            var preview = await decisions.PreviewAsync(request, User.ReviewUser(), ct);
            if (preview.Ok && preview.Value is { } plan && (!plan.Refused || plan.Consequences.Count > 0 && !RestrictionCodes.IsPermission(plan.RefusalCode)))
            {
                Summary = new DecisionSummaryView(plan, request with { Actions = [.. (actions ?? []).Union(plan.Consequences)] }, enforcement.SuspensionDays);
                return await LoadAsync(id, ct) ?? Page();
            }
            if (!preview.Ok && preview.Error != ReviewError.NotFound)
            {
                Errors.Add(ReviewUi.Refusal(t, preview.Why, preview.Message));
                Errors.Add(t["Decide.NothingRecorded"]);
                Response.StatusCode = preview.Error == ReviewError.Forbidden ? StatusCodes.Status403Forbidden
                    : preview.Error == ReviewError.Stale ? StatusCodes.Status409Conflict : StatusCodes.Status422UnprocessableEntity;
                return await LoadAsync(id, ct) ?? Page();
            }
            if (preview.Ok && preview.Value is { Refused: true } refused)
            {
                Errors.Add(ReviewUi.Restriction(t, refused.Why!));
                Errors.Add(t["Decide.NothingRecorded"]);
                Response.StatusCode = RestrictionCodes.IsPermission(refused.RefusalCode) ? StatusCodes.Status403Forbidden : StatusCodes.Status422UnprocessableEntity;
                return await LoadAsync(id, ct) ?? Page();
            }
        }
        var result = await decisions.DecideAsync(request, User.ReviewUser(), ct);
        if (result.Ok)
        {
            var r = result.Value!;
            string done = r.Replayed ? t["Decide.Replayed", r.CaseId] : t["Decide.Done", r.CaseId, ReviewUi.Outcome(t, r)];
            if (advance == "1" && !r.Replayed)
            {
                // Auto-advance: the next case of the same queue is claimed and opened; an empty queue says so.
                var queue = r.Queue;
                var next = await queues.ClaimNextAsync(queue, User.ReviewUser(), ct);
                if (next.Ok)
                {
                    Flash(done + " " + t["Flow.NextCase", next.Value!.CaseId]);
                    return Redirect($"/cases/{next.Value.CaseId}");
                }
                if (next.Error == ReviewError.Empty)
                {
                    Flash(done + " " + t["Flow.QueueDone", queue]);
                    return Redirect($"/queues/{Uri.EscapeDataString(queue)}");
                }
            }
            Flash(done);
            return Redirect($"/cases/{id}");
        }
        if (result.Error == ReviewError.NotFound) return NotFound();
        Errors.Add(result.Error switch
        {
            ReviewError.Stale => t["Decide.Stale", ReviewUi.Refusal(t, result.Why, result.Message)],
            ReviewError.ClaimExpired => t["Decide.Expired", ReviewUi.Refusal(t, result.Why, result.Message)],
            _ => ReviewUi.Refusal(t, result.Why, result.Message),
        });
        Errors.Add(t["Decide.NothingRecorded"]);
        Response.StatusCode = result.Error is ReviewError.Stale or ReviewError.ClaimExpired or ReviewError.Conflict ? StatusCodes.Status409Conflict
            : result.Error == ReviewError.Forbidden ? StatusCodes.Status403Forbidden : StatusCodes.Status422UnprocessableEntity;
        return await LoadAsync(id, ct) ?? Page();
    }

    /// <summary>Posted by console.js when revealed media is hidden again or the page is left: how long it was shown.</summary>
    public async Task<IActionResult> OnPostRevealAsync(long id, int index, long milliseconds, CancellationToken ct)
    {
        if (await LoadDetailAsync(id, ct) is { } refused) return refused;
        var r = await wellness.RecordRevealAsync(Actor, id, index, milliseconds, ct);
        return r.Ok ? new NoContentResult() : BadRequest(r.Message!);
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;

    /// <summary>The case and whether the user may see it: their queue, or an auditor. Null when allowed.</summary>
    private async Task<IActionResult?> LoadDetailAsync(long id, CancellationToken ct)
    {
        var detail = await details.GetAsync(id, ct, User.ReviewUser());
        if (!detail.Ok) return NotFound();
        Detail = detail.Value!;
        return await RefusedAsync(id, Detail.Case.Queue, ct);
    }

    /// <summary>
    /// Those who work the case's queue may see it, and auditors; null when allowed. For an appeal or QA case, the queues of
    /// the reviewed decision count too: an appeal of a threat-to-life removal is not for every appeals reviewer.
    /// </summary>
    private async Task<IActionResult?> RefusedAsync(long id, string queue, CancellationToken ct)
    {
        var user = User.ReviewUser();
        IReadOnlyList<string> governing = [queue];
        if (ReviewQueueService.IsAboutAnotherReview(queue))
        {
            await using var db = dbs.Create();
            var decisionId = await db.Set<ReviewCaseRow>().AsNoTracking().Where(c => c.Id == id).Select(c => c.DecisionId).FirstOrDefaultAsync(ct);
            governing = await ReviewQueueService.GoverningQueuesAsync(db, queue, decisionId, ct);
        }
        MayWork = governing.All(q => options.Queue(q).MayWork(user.Roles));
        return MayWork || user.Roles.Contains(ConsoleRoles.Auditor) ? null : StatusCode(StatusCodes.Status403Forbidden);
    }

    private async Task<IActionResult?> LoadAsync(long id, CancellationToken ct)
    {
        if (await LoadDetailAsync(id, ct) is { } refused) return refused;
        var user = User.ReviewUser();
        if (Detail.Case.ClaimedBy == user.Name)
        {
            await using var db = dbs.Create();
            MyClaimToken = await db.Set<ReviewCaseRow>().AsNoTracking().Where(c => c.Id == id && c.ClaimedBy == user.Name).Select(c => c.ClaimToken).FirstOrDefaultAsync(ct);
        }
        Choices = await DecisionChoices.LoadAsync(policies, options, user, ct);
        Context = await contexts.GetAsync(id, ct);
        Notes = await notes.ListAsync(Detail.Case.AccountId is { } acc ? [CaseNoteService.CaseSubject(id), CaseNoteService.AccountSubject(acc)] : [CaseNoteService.CaseSubject(id)], ct);
        if (!Request.HasFormContentType || Request.Form["advance"].Count == 0) Advance = Request.Cookies[AdvanceCookie] == "1";
        ViewData["Advance"] = Advance ? "1" : "0";
        Preferences = await wellness.PreferencesAsync(user.Name, ct);
        Stretch = await wellness.StretchAsync(user.Name, ct);
        Media = (Detail.Content?.Media ?? []).ToDictionary(m => m.Index, Probe);
        return null;
    }

    /// <summary>Images are decoded far enough to know Skia can read them; videos are left to the browser (console.js shows the placeholder on error).</summary>
    private MediaState Probe(CaseMedia m)
    {
        if (m.Sha256 is null || !media.Exists(m.Sha256)) return MediaState.Missing;
        if (ReviewUi.IsVideo(m.MimeType)) return MediaState.Video;
        if (!ReviewUi.IsImage(m.MimeType)) return MediaState.Other;
        using var stream = media.OpenRead(m.Sha256);
        if (stream is null) return MediaState.Missing;
        using var codec = SKCodec.Create(stream);
        return codec is null ? MediaState.Undecodable : MediaState.Image;
    }
}
