using Bulwark.Core.Authorities.Referrals;
using Bulwark.Core.Ingest;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bulwark.Server.Api;

/// <summary>A referral from a threat-to-life case, named by <c>caseId</c> or by <c>contentId</c> (its case in the referral queue).</summary>
public sealed record NewReferral(long? CaseId, string? ContentId, string? Assessment, string? Urgency, string? MemberState);
public sealed record ReferralPhoneDelivery(string? Contact, string? Note);
public sealed record ReferralFollowUp(string? Request);
public sealed record ReferralPage(IReadOnlyList<ReferralSummary> Referrals);
/// <summary>Where a referral's delivery stands, and its log (attempts, outcomes, phone deliveries, follow-ups).</summary>
public sealed record ReferralDeliveryStatus(long Id, string Reference, string Status, ReferralRecipientView Recipient, int Attempts, DateTimeOffset? NextAttemptAt,
    string? LastError, DateTimeOffset? DeliveredAt, string? Receipt, IReadOnlyList<ReferralEventView> Log);

/// <summary>
/// <c>/api/v1/authorities/referrals</c> (scope <c>authorities</c>): referrals to law enforcement (DSA Art. 18) — make one from
/// a threat-to-life case, read it, export its signed package (zip), follow its delivery, and record a phone delivery, a
/// resend or the authority's follow-up request. Each change is audited with the API key as the actor.
/// </summary>
public static class ReferralEndpoints
{
    public static void MapReferralEndpoints(this RouteGroupBuilder g)
    {
        g.MapPost("/referrals", CreateAsync).WithName("CreateReferral").AcceptsJson<NewReferral>(AppealEndpoints.Strict)
            .WithSummary("Refer a threat-to-life case: {caseId or contentId, assessment, urgency? (immediate|high|normal; default immediate), memberState? (else from location signals, the account's country, or Europol)}. Builds and signs the package, places a legal hold and starts delivery; answers 201 with the referral. A case already referred: 409, never sent twice.");
        g.MapGet("/referrals", ListAsync).WithName("ListReferrals").WithSummary("Referrals, newest first; ?status=draft|sending|awaiting_manual|delivered|failed; ?limit= (1–1000).");
        g.MapGet("/referrals/{id:long}", GetAsync).WithName("GetReferral").WithSummary("One referral: status, recipient, assessment, the escalation-to-referral clock, delivery state and its log.");
        g.MapGet("/referrals/{id:long}/package", PackageAsync).WithName("ExportReferralPackage")
            .WithSummary("The signed package as a zip (manifest.json, manifest.sig.json, summary.html, media/, README.txt); audited. 409 for a draft (no package yet).");
        g.MapGet("/referrals/{id:long}/delivery", DeliveryAsync).WithName("GetReferralDelivery").WithSummary("Delivery status: attempts, next attempt, last error, receipt, and the delivery log.");
        g.MapPost("/referrals/{id:long}/resend", ResendAsync).WithName("ResendReferral").WithSummary("Send a failed referral again (a new round of attempts, the same package and idempotency key).");
        g.MapPost("/referrals/{id:long}/phone", PhoneAsync).WithName("RecordReferralPhoneDelivery").AcceptsJson<ReferralPhoneDelivery>(AppealEndpoints.Strict)
            .WithSummary("Record that the referral was delivered by phone: {contact, note?}. Ends automatic delivery.");
        g.MapPost("/referrals/{id:long}/follow-up", FollowUpAsync).WithName("RecordReferralFollowUp").AcceptsJson<ReferralFollowUp>(AppealEndpoints.Strict)
            .WithSummary("Record a follow-up request from the authority: {request}.");
    }

    private static async Task<Results<Created<ReferralView>, ProblemHttpResult>> CreateAsync(HttpContext http, ReferralService referrals, CancellationToken ct)
    {
        var (body, problem) = await AppealEndpoints.ReadAsync<NewReferral>(http, ct);
        if (problem is not null) return problem;
        var contentId = string.IsNullOrWhiteSpace(body!.ContentId) ? null : body.ContentId.Trim();
        if (body.CaseId is null == (contentId is null))
            return Problems.ValidationFailed([new FieldError("caseId", "name exactly one of caseId and contentId: the threat-to-life case to refer")]);
        if (contentId is { Length: > 128 }) return Problems.ValidationFailed([new FieldError("contentId", "must be at most 128 characters")]);
        var caseId = body.CaseId;
        if (contentId is not null && (caseId = await referrals.CaseOfContentAsync(contentId, ct)) is null)
            return Problems.NotFoundResult($"Content '{contentId}' has no case in the {referrals.Queue} queue; only such cases are referred to law enforcement.");
        var result = await referrals.SubmitAsync(new ReferralSubmission(caseId!.Value, body.Assessment, body.Urgency, body.MemberState), AdminEndpoints.Actor(http), ct);
        return result.Ok ? TypedResults.Created($"/api/v1/authorities/referrals/{result.Value!.Id}", result.Value) : Problem(result, await referrals.IdOfCaseAsync(caseId.Value, ct));
    }

    private static async Task<Results<Ok<ReferralPage>, ProblemHttpResult>> ListAsync(ReferralService referrals, CancellationToken ct, string? status = null, int limit = 100)
    {
        if (limit is < 1 or > 1000) return Problems.ValidationFailed([new FieldError("limit", "must be between 1 and 1000")]);
        if (status is not null && !ReferralStatus.All.Contains(status)) return Problems.ValidationFailed([new FieldError("status", $"must be one of {string.Join(", ", ReferralStatus.All)}")]);
        return TypedResults.Ok(new ReferralPage(await referrals.ListAsync(status, limit, ct)));
    }

    private static async Task<Results<Ok<ReferralView>, ProblemHttpResult>> GetAsync(long id, ReferralService referrals, CancellationToken ct) =>
        await referrals.GetAsync(id, ct) is { } r ? TypedResults.Ok(r) : Problems.NotFoundResult($"There is no referral {id}.");

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> PackageAsync(long id, HttpContext http, ReferralService referrals, CancellationToken ct)
    {
        using var zip = new MemoryStream();
        var result = await referrals.ExportAsync(id, zip, AdminEndpoints.Actor(http), ct);
        if (!result.Ok) return Problem(result, null);
        return TypedResults.File(zip.ToArray(), "application/zip", $"{result.Value}.zip");
    }

    private static async Task<Results<Ok<ReferralDeliveryStatus>, ProblemHttpResult>> DeliveryAsync(long id, ReferralService referrals, CancellationToken ct) =>
        await referrals.GetAsync(id, ct) is { } r
            ? TypedResults.Ok(new ReferralDeliveryStatus(r.Id, r.Reference, r.Status, r.Recipient, r.Attempts, r.NextAttemptAt, r.LastError, r.DeliveredAt, r.Receipt, r.Events))
            : Problems.NotFoundResult($"There is no referral {id}.");

    private static async Task<Results<Ok<ReferralView>, ProblemHttpResult>> ResendAsync(long id, HttpContext http, ReferralService referrals, CancellationToken ct) =>
        Answer(await referrals.ResendAsync(id, AdminEndpoints.Actor(http), ct));

    private static async Task<Results<Ok<ReferralView>, ProblemHttpResult>> PhoneAsync(long id, HttpContext http, ReferralService referrals, CancellationToken ct)
    {
        var (body, problem) = await AppealEndpoints.ReadAsync<ReferralPhoneDelivery>(http, ct);
        if (problem is not null) return problem;
        return Answer(await referrals.RecordPhoneDeliveryAsync(id, body!.Contact, body.Note, AdminEndpoints.Actor(http), ct));
    }

    private static async Task<Results<Ok<ReferralView>, ProblemHttpResult>> FollowUpAsync(long id, HttpContext http, ReferralService referrals, CancellationToken ct)
    {
        var (body, problem) = await AppealEndpoints.ReadAsync<ReferralFollowUp>(http, ct);
        if (problem is not null) return problem;
        return Answer(await referrals.RecordFollowUpAsync(id, body!.Request, AdminEndpoints.Actor(http), ct));
    }

    private static Results<Ok<ReferralView>, ProblemHttpResult> Answer(ReferralResult<ReferralView> r) => r.Ok ? TypedResults.Ok(r.Value!) : Problem(r, null);

    private static ProblemHttpResult Problem<T>(ReferralResult<T> r, long? existing) => r.Error switch
    {
        ReferralError.Invalid => Problems.ValidationFailed(r.Errors.Select(e => new FieldError(e.Field, e.Message))),
        ReferralError.NotFound or ReferralError.CaseNotFound => Problems.NotFoundResult(r.Message!),
        ReferralError.WrongQueue => Problems.Make(409, Problems.ReferralWrongQueue, "Not a case that is referred to law enforcement.", r.Message!),
        ReferralError.NoRecipient => Problems.Make(409, Problems.ReferralNoRecipient, "No recipient is configured for this referral.", r.Message!),
        ReferralError.WrongState => Problems.Make(409, Problems.ReferralConflict, "Not possible in the referral's state.", r.Message!,
            existing is null ? null : new Dictionary<string, object?> { ["referralId"] = existing }),
        _ => throw new InvalidOperationException($"Unmapped referral error {r.Error}."),
    };
}
