using System.Text.Json;
using System.Text.Json.Serialization;
using Bulwark.Core.Notices;
using Bulwark.Core.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bulwark.Server.Api;

/// <summary>A notice as the platform reads it back: where it is, what was decided, and the messages written to the notifier.</summary>
public sealed record NoticeView(
    long Id, string Source, string Status, string? ContentId, string? Url, DateTimeOffset ReceivedAt, long? CaseId, string? Outcome, string? Policy,
    DateTimeOffset? DecidedAt, IReadOnlyList<NoticeMessageView> Messages);

public sealed record NoticeMessageView(string Kind, string Status, string Subject, string Body, DateTimeOffset CreatedAt, DateTimeOffset? SentAt);

public sealed record NotifierAppealRequest(string? Reason);

public sealed record NotifierMeasureView(long Id, string Kind, DateTimeOffset ImposedAt, DateTimeOffset? Until, DateTimeOffset? AppealedAt, string? AppealOutcome, DateTimeOffset? LiftedAt);

/// <summary>
/// <c>/api/v1/notices</c> (DSA Art. 16): the platform's own reporting UI sends notices with its ingest key and reads back
/// what became of them. The public, sign-in-free form is <c>/report</c>.
/// </summary>
public static class NoticeEndpoints
{
    internal static readonly JsonSerializerOptions Strict = new(JsonSerializerOptions.Web) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };

    public static void MapNoticeEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/notices").WithTags("Notices").RequireAuthorization(Scopes.Ingest);
        group.MapPost("/", SubmitAsync).WithName("SubmitNotice").AcceptsJson<NoticeSubmission>(Strict)
            .WithSummary("Send a notice: {contentId or url, explanation, notifier: {name?, email?}, goodFaith: true, trustedFlaggerId?, language? (en|it)}. "
                + "201 with the notice's id and acknowledgement; 202 with the same id when the same notice (content and notifier) is already open, "
                + "or when the notifier's notices are suspended (kept, not processed). A URL Bulwark does not know yet is kept and matched when the content arrives.");
        group.MapGet("/{id:long}", GetAsync).WithName("GetNotice")
            .WithSummary("One notice: its status (awaiting_content, in_review, decided, not_processed), the decision and the messages written to the notifier (acknowledgement, decision with the means of redress, warnings).");
        group.MapPost("/measures/{id:long}/appeal", AppealAsync).WithName("AppealNotifierMeasure").AcceptsJson<NotifierAppealRequest>(Strict)
            .WithSummary("Relay a notifier's appeal against a warning or suspension of their notices (DSA Art. 23(2)): {reason}. A policy admin decides it in the console.");
    }

    private static async Task<Results<Created<NoticeReceipt>, Accepted<NoticeReceipt>, ProblemHttpResult>> SubmitAsync(HttpContext http, NoticeService notices, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadBoundAsync<NoticeSubmission>(http, ct);
        if (problem is not null) return problem;
        var result = await notices.SubmitAsync(body!, "api", ct);
        if (!result.Ok) return Problems.ValidationFailed(result.Errors);
        var r = result.Receipt!;
        var location = $"/api/v1/notices/{r.Id}";
        return r.Duplicate || r.SuspendedUntil is not null ? TypedResults.Accepted(location, r) : TypedResults.Created(location, r);
    }

    private static async Task<Results<Ok<NoticeView>, ProblemHttpResult>> GetAsync(long id, NoticeQueries queries, CancellationToken ct)
    {
        if (await queries.GetAsync(id, ct) is not { } d) return Problems.NotFoundResult($"There is no notice {id}.");
        var n = d.Notice;
        return TypedResults.Ok(new NoticeView(n.Id, n.Source, n.Status, n.ContentId, n.Url, n.ReceivedAt, n.CaseId, n.Outcome, n.Policy, n.DecidedAt,
            d.Deliveries.Select(m => new NoticeMessageView(m.Kind, m.Status, m.Subject, m.Body, m.CreatedAt, m.SentAt)).ToList()));
    }

    private static async Task<Results<Ok<NotifierMeasureView>, ProblemHttpResult>> AppealAsync(long id, HttpContext http, NotifierStanding standing, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadBoundAsync<NotifierAppealRequest>(http, ct);
        if (problem is not null) return problem;
        var r = await standing.AppealAsync(id, body!.Reason, AdminEndpoints.Actor(http), ct);
        return r.Error switch
        {
            StandingError.None => TypedResults.Ok(new NotifierMeasureView(r.Measure!.Id, r.Measure.Kind, r.Measure.ImposedAt, r.Measure.Until, r.Measure.AppealedAt, r.Measure.AppealOutcome, r.Measure.LiftedAt)),
            StandingError.NotFound => Problems.NotFoundResult(r.Message!),
            StandingError.Invalid => Problems.ValidationFailed([new Bulwark.Core.Ingest.FieldError("reason", r.Message!)]),
            _ => Problems.Make(409, "urn:bulwark:problem:conflict", "Conflict.", r.Message!),
        };
    }
}
