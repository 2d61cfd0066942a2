using Bulwark.Core.Authorities.Orders;
using Bulwark.Core.Authorities.Registry;
using Bulwark.Core.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bulwark.Server.Api;

public sealed record RemovalOrderPage(IReadOnlyList<RemovalOrderView> Orders, long? NextBefore);
public sealed record AnnexIIIRequest(string? Ground, string? Reasons);
public sealed record ScrutinyRequest(string? Outcome, string? Note);
public sealed record NameContentRequest(string? ContentId);
public sealed record FormSentRequest(string? Form, string? How);

/// <summary>
/// <c>/api/v1/authorities</c> (scope <c>authorities</c>): removal orders under Reg. 2021/784 — receipt (the clock starts at
/// receipt), status and Annex II feedback, Annex III, cross-border scrutiny — and the competent authorities registry (read).
/// Registry changes are made in the console by policy admins.
/// </summary>
public static class AuthorityEndpoints
{
    public static void MapAuthorityEndpoints(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/v1/authorities").WithTags("Authorities").RequireAuthorization(Scopes.Authorities);
        g.MapPost("/removal-orders", ReceiveAsync).WithName("ReceiveRemovalOrder").AcceptsJson<RemovalOrderInput>(AppealEndpoints.Strict)
            .WithSummary("Receive a removal order (Annex I fields: reference, authority (registry id), memberState, issuedAt, contentIds[] and/or urls[], ground (Art. 2(7): incitement|solicitation|participation|instruction|threat), reasons, legalBasis?, deferInformingUntil?, crossBorder?, feedbackContact?). Answers 201 with the order; by default its content is removed at once. The same authority and reference again: 409 with the existing order.");
        g.MapGet("/removal-orders", ListAsync).WithName("ListRemovalOrders").WithSummary("Orders, newest first; ?status=open|received|partially_executed|executed|not_executed|reinstated; page with ?before=.");
        g.MapGet("/removal-orders/{id:long}", GetAsync).WithName("GetRemovalOrder").WithSummary("One order: status, receivedAt, dueAt, executedAt, items, feedback (Annex II once executed), annexIII.");
        g.MapGet("/removal-orders/{id:long}/feedback", FeedbackAsync).WithName("GetRemovalOrderFeedback").WithSummary("The Annex II feedback as JSON (404 until executed).");
        g.MapPost("/removal-orders/{id:long}/confirm", ConfirmAsync).WithName("ConfirmRemovalOrder").WithSummary("Confirm an order received for confirmation (Bulwark:Authorities:Orders:ExecuteOnReceipt=false): its content is removed now.");
        g.MapPost("/removal-orders/{id:long}/annex-iii", AnnexIIIAsync).WithName("FileAnnexIII").AcceptsJson<AnnexIIIRequest>(AppealEndpoints.Strict)
            .WithSummary("The order cannot be executed: {ground: force_majeure|de_facto_impossibility|manifest_errors|insufficient_information, reasons}. Open orders only.");
        g.MapPost("/removal-orders/{id:long}/scrutiny", ScrutinyAsync).WithName("RecordScrutiny").AcceptsJson<ScrutinyRequest>(AppealEndpoints.Strict)
            .WithSummary("Art. 4 scrutiny of a cross-border order: {outcome: upheld|infringes, note?}. 'infringes' reinstates the content now and informs the authority.");
        g.MapPost("/removal-orders/{id:long}/items/{itemId:long}/content", NameAsync).WithName("NameRemovalOrderContent").AcceptsJson<NameContentRequest>(AppealEndpoints.Strict)
            .WithSummary("Name the content an item means ({contentId}); executed at once when the content is known and the order may run.");
        g.MapPost("/removal-orders/{id:long}/sent", SentAsync).WithName("RecordFormSent").AcceptsJson<FormSentRequest>(AppealEndpoints.Strict)
            .WithSummary("Record that a form was sent by hand: {form: feedback|annex-iii, how}.");
        g.MapReferralEndpoints();
        g.MapGet("/registry", RegistryAsync).WithName("ListCompetentAuthorities").WithSummary("The competent authorities registry (the Europol fallback entry included).");
    }

    private static async Task<Results<Created<RemovalOrderView>, ProblemHttpResult>> ReceiveAsync(HttpContext http, RemovalOrderService orders, CancellationToken ct)
    {
        var (body, problem) = await AppealEndpoints.ReadAsync<RemovalOrderInput>(http, ct);
        if (problem is not null) return problem;
        var result = await orders.ReceiveAsync(body!, AdminEndpoints.Actor(http), ct);
        return result.Error == OrderError.None ? TypedResults.Created($"/api/v1/authorities/removal-orders/{result.Value!.Id}", result.Value) : Problem(result);
    }

    private static async Task<Results<Ok<RemovalOrderPage>, ProblemHttpResult>> ListAsync(RemovalOrderService orders, CancellationToken ct, string? status = null, long? before = null, int limit = 100)
    {
        if (limit is < 1 or > 1000) return Problems.ValidationFailed([new("limit", "must be between 1 and 1000")]);
        string[] known = ["open", OrderStatus.Received, OrderStatus.PartiallyExecuted, OrderStatus.Executed, OrderStatus.NotExecuted, OrderStatus.Reinstated];
        if (status is not null && !known.Contains(status)) return Problems.ValidationFailed([new("status", $"must be one of {string.Join(", ", known)}")]);
        var list = await orders.ListAsync(status, before, limit, ct);
        return TypedResults.Ok(new RemovalOrderPage(list, list.Count == limit ? list[^1].Id : null));
    }

    private static async Task<Results<Ok<RemovalOrderView>, ProblemHttpResult>> GetAsync(long id, RemovalOrderService orders, CancellationToken ct) =>
        await orders.GetAsync(id, ct) is { } o ? TypedResults.Ok(o) : Problems.NotFoundResult($"There is no removal order {id}.");

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> FeedbackAsync(long id, RemovalOrderService orders, CancellationToken ct)
    {
        var o = await orders.GetAsync(id, ct);
        if (o is null) return Problems.NotFoundResult($"There is no removal order {id}.");
        if (o.Feedback is not { } f) return Problems.NotFoundResult($"Order {id} is {o.Status}: it has no Annex II feedback yet.");
        return TypedResults.Text(f.GetRawText(), "application/json");
    }

    private static async Task<Results<Ok<RemovalOrderView>, ProblemHttpResult>> ConfirmAsync(long id, HttpContext http, RemovalOrderService orders, CancellationToken ct) =>
        Answer(await orders.ConfirmAsync(id, AdminEndpoints.Actor(http), ct));

    private static async Task<Results<Ok<RemovalOrderView>, ProblemHttpResult>> AnnexIIIAsync(long id, HttpContext http, RemovalOrderService orders, CancellationToken ct)
    {
        var (body, problem) = await AppealEndpoints.ReadAsync<AnnexIIIRequest>(http, ct);
        if (problem is not null) return problem;
        return Answer(await orders.FileAnnexIIIAsync(id, body!.Ground, body.Reasons, AdminEndpoints.Actor(http), ct));
    }

    private static async Task<Results<Ok<RemovalOrderView>, ProblemHttpResult>> ScrutinyAsync(long id, HttpContext http, RemovalOrderService orders, CancellationToken ct)
    {
        var (body, problem) = await AppealEndpoints.ReadAsync<ScrutinyRequest>(http, ct);
        if (problem is not null) return problem;
        return Answer(await orders.RecordScrutinyAsync(id, body!.Outcome, body.Note, AdminEndpoints.Actor(http), ct));
    }

    private static async Task<Results<Ok<RemovalOrderView>, ProblemHttpResult>> NameAsync(long id, long itemId, HttpContext http, RemovalOrderService orders, CancellationToken ct)
    {
        var (body, problem) = await AppealEndpoints.ReadAsync<NameContentRequest>(http, ct);
        if (problem is not null) return problem;
        return Answer(await orders.NameContentAsync(id, itemId, body!.ContentId, AdminEndpoints.Actor(http), ct));
    }

    private static async Task<Results<Ok<RemovalOrderView>, ProblemHttpResult>> SentAsync(long id, HttpContext http, RemovalOrderService orders, CancellationToken ct)
    {
        var (body, problem) = await AppealEndpoints.ReadAsync<FormSentRequest>(http, ct);
        if (problem is not null) return problem;
        return Answer(await orders.MarkSentAsync(id, body!.Form, body.How, AdminEndpoints.Actor(http), ct));
    }

    private static async Task<Ok<IReadOnlyList<CompetentAuthority>>> RegistryAsync(AuthorityRegistry registry, CancellationToken ct) =>
        TypedResults.Ok(await registry.ListAsync(ct));

    private static Results<Ok<RemovalOrderView>, ProblemHttpResult> Answer(OrderResult r) =>
        r.Error == OrderError.None ? TypedResults.Ok(r.Value!) : Problem(r);

    private static ProblemHttpResult Problem(OrderResult r) => r.Error switch
    {
        OrderError.Invalid => Problems.ValidationFailed(r.Errors),
        OrderError.NotFound => Problems.NotFoundResult(r.Message!),
        OrderError.Duplicate => Problems.Make(409, Problems.RemovalOrderDuplicate, "This order was already received.", r.Message!,
            new Dictionary<string, object?> { ["orderId"] = r.Value?.Id, ["status"] = r.Value?.Status }),
        OrderError.Conflict => Problems.Make(409, Problems.RemovalOrderConflict, "Not possible in the order's state.", r.Message!),
        _ => throw new InvalidOperationException($"Unmapped order error {r.Error}."),
    };
}
