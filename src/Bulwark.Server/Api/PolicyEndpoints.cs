using System.Text.Json;
using Bulwark.Core.Actions.Restrictions;
using Bulwark.Core.Ingest;
using Bulwark.Core.Policy;
using Bulwark.Core.Policy.Enforcement;
using Bulwark.Core.Policy.Rules;
using Bulwark.Core.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bulwark.Server.Api;

public sealed record RuleFilesRequest(List<RuleFile>? Files);
public sealed record RulesValidation(bool Valid, string? Hash, int Rules, IReadOnlyList<string> Errors);
public sealed record PolicyChangeResponse(string? Before, string? After);
/// <summary>
/// <c>POST /api/v1/decisions/{id}/confirm</c>. <see cref="Content"/> and <see cref="Account"/> list every measure to take,
/// explicitly (an empty list takes none of that kind): content <c>content.remove</c>, <c>content.age_restrict</c>,
/// <c>content.exclude_recommendations</c>; account <c>account.strike</c>, <c>account.suspend</c>, <c>account.ban</c>. A
/// suspension or ban a strike threshold or zero tolerance causes must be listed too. <see cref="Preview"/>: say what it would
/// do and record nothing.
/// </summary>
public sealed record ConfirmRequest(string? Violation, string? Reason, List<string>? Content, List<string>? Account, string? Policy = null,
    int? SuspensionDays = null, bool Preview = false);
/// <summary>
/// What a confirmation did (or, previewed, would do). <see cref="Notes"/> and <see cref="Refusal"/> are English;
/// <see cref="NoteCodes"/> (one per note, in order) and <see cref="RefusalCode"/> are the writer's stable codes (docs/api.md).
/// </summary>
public sealed record ConfirmResponse(long DecisionId, bool Applied, IReadOnlyList<Bulwark.Core.Actions.PlatformAction> Actions, IReadOnlyList<string> Notes,
    IReadOnlyList<string> Consequences, string? StatementOfReasons, string? Refusal, IReadOnlyList<string> NoteCodes, string? RefusalCode)
{
    public static ConfirmResponse Of(RestrictionPlan plan, bool applied, string? statement) =>
        new(plan.DecisionId, applied, plan.Actions, plan.Notes, plan.Consequences, statement,
            plan.Refusal, plan.Noted.Select(n => n.Code).ToList(), plan.RefusalCode);
}

/// <summary>
/// <c>/api/v1/policies</c> and <c>/api/v1/rules</c>: the catalogue and rule set in force (read scope) and their changes
/// (<c>policy:admin</c>, audited); <c>/api/v1/accounts/{id}/offplatform-findings</c> and <c>/enforcement</c>.
/// </summary>
public static class PolicyEndpoints
{
    private const int MaxFiles = 200;
    private const int MaxChars = 2_000_000;

    public static void MapPolicyEndpoints(this IEndpointRouteBuilder app)
    {
        var read = app.MapGroup("/api/v1").WithTags("Policy").RequireAuthorization(Scopes.Read);
        read.MapGet("/policies", async (PolicyStore store, CancellationToken ct) => TypedResults.Text((await store.GetCatalogueAsync(ct)).ToJson(), "application/json"))
            .WithName("GetPolicyCatalogue").WithSummary("The policy catalogue in force (policies, DSA categories and keywords, Reg. 2021/784 grounds, defaults, exceptions, explanations).");
        read.MapGet("/rules", async (PolicyStore store, CancellationToken ct) => TypedResults.Ok(await store.GetActiveInfoAsync(ct)))
            .WithName("GetActiveRules").WithSummary("The active rule set: hash, rule counts by mode, who activated it and when.");
        read.MapGet("/accounts/{id}/enforcement", async (string id, EnforcementService enforcement, CancellationToken ct) => TypedResults.Ok(await enforcement.GetAsync(id, ct)))
            .WithName("GetAccountEnforcement").WithSummary("An account's strikes (active or expired) and off-platform findings.");

        var admin = app.MapGroup("/api/v1").WithTags("Policy").RequireAuthorization(Scopes.PolicyAdmin);
        admin.MapPut("/policies", UpdateCatalogueAsync).WithName("UpdatePolicyCatalogue").AcceptsJson<Bulwark.Core.Policy.Catalogue.PolicyCatalogue>(Bulwark.Core.Policy.Catalogue.PolicyCatalogue.Json)
            .WithSummary("Store a new catalogue version; refused with every error when invalid or when the active rules would no longer compile.");
        admin.MapPost("/rules/validate", ValidateAsync).WithName("ValidateRules").AcceptsJson<RuleFilesRequest>(JsonSerializerOptions.Web)
            .WithSummary("Type-check rule files ({files:[{name,text}]}) without activating them; errors as file:line:column: message.");
        admin.MapPost("/rules/activate", ActivateAsync).WithName("ActivateRules").AcceptsJson<RuleFilesRequest>(JsonSerializerOptions.Web)
            .WithSummary("Activate rule files if they compile (audited); otherwise 422 with every error and the active set unchanged.");
        admin.MapPost("/accounts/{id}/offplatform-findings", AddFindingAsync).WithName("AddOffPlatformFinding").AcceptsJson<NewFinding>(JsonSerializerOptions.Web)
            .WithSummary("Record an off-platform finding (source, description, evidenceUrl, linkedEntity) that rules can read; a ban based on it always goes to review.");
        admin.MapPost("/decisions/{id:long}/confirm", ConfirmAsync).WithName("ConfirmDecision").AcceptsJson<ConfirmRequest>(JsonSerializerOptions.Web)
            .WithSummary("A person confirms a decision's violation with the measures to take ({violation, reason, content:[…], account:[…], preview}); measures the key's scopes may not take are refused (403); confirmed once.");
    }

    private static async Task<Results<Ok<PolicyChangeResponse>, ProblemHttpResult>> UpdateCatalogueAsync(HttpContext http, PolicyStore store, CancellationToken ct)
    {
        using var reader = new StreamReader(http.Request.Body);
        var json = await reader.ReadToEndAsync(ct);
        if (JsonBody.NulField(System.Text.Encoding.UTF8.GetBytes(json)) is { } field) return JsonBody.NulProblem(field);
        var result = await store.UpdateCatalogueAsync(json, AdminEndpoints.Actor(http), ct);
        return result.Applied ? TypedResults.Ok(new PolicyChangeResponse(result.Before, result.After))
            : Problems.Make(422, Problems.PolicyInvalid, "The policy catalogue was not changed.", result.Errors[0],
                new Dictionary<string, object?> { ["errors"] = result.Errors });
    }

    private static async Task<Results<Ok<RulesValidation>, ProblemHttpResult>> ValidateAsync(HttpContext http, PolicyStore store, CancellationToken ct)
    {
        var (files, problem) = await ReadFilesAsync(http, ct);
        if (problem is not null) return problem;
        var (set, errors) = await store.CompileAsync(files!, ct);
        return TypedResults.Ok(new RulesValidation(set is not null, set?.Hash, set?.Rules.Count ?? 0, errors.Select(e => e.ToString()).ToList()));
    }

    private static async Task<Results<Ok<PolicyChangeResponse>, ProblemHttpResult>> ActivateAsync(HttpContext http, PolicyStore store, CancellationToken ct)
    {
        var (files, problem) = await ReadFilesAsync(http, ct);
        if (problem is not null) return problem;
        var result = await store.ActivateAsync(files!, AdminEndpoints.Actor(http), ct);
        return result.Applied ? TypedResults.Ok(new PolicyChangeResponse(result.Before, result.After))
            : Problems.Make(422, Problems.RulesInvalid, "The rule set does not compile; the active one is unchanged.", result.Errors[0],
                new Dictionary<string, object?> { ["errors"] = result.Errors });
    }

    private static async Task<Results<Created<FindingView>, ProblemHttpResult>> AddFindingAsync(string id, HttpContext http, EnforcementService enforcement, CancellationToken ct)
    {
        var (body, problem) = await ReadAsync<NewFinding>(http, ct);
        if (problem is not null) return problem;
        var (finding, errors) = await enforcement.AddFindingAsync(id, body!, AdminEndpoints.Actor(http), ct);
        return finding is null ? Problems.ValidationFailed(errors)
            : TypedResults.Created($"/api/v1/accounts/{id}/enforcement", finding);
    }

    private static async Task<Results<Ok<ConfirmResponse>, ProblemHttpResult>> ConfirmAsync(long id, HttpContext http, RestrictionWriter writer, CancellationToken ct)
    {
        var (body, problem) = await ReadAsync<ConfirmRequest>(http, ct);
        if (problem is not null) return problem;
        var errors = new List<FieldError>();
        if (body!.Content is null) errors.Add(new("content", "is required: the content measures to take (content.remove, content.age_restrict, content.exclude_recommendations), or [] for none"));
        if (body.Account is null) errors.Add(new("account", "is required: the account measures to take (account.strike, account.suspend, account.ban), or [] for none"));
        foreach (var (m, i) in (body.Content ?? []).Select((m, i) => (m, i)))
            if (!Measures.ConfirmableContent.Contains(m)) errors.Add(new($"content[{i}]", $"'{m}' is not a content measure ({string.Join(", ", Measures.ConfirmableContent)})"));
        foreach (var (m, i) in (body.Account ?? []).Select((m, i) => (m, i)))
            if (!Measures.ConfirmableAccount.Contains(m)) errors.Add(new($"account[{i}]", $"'{m}' is not an account measure ({string.Join(", ", Measures.ConfirmableAccount)})"));
        if (errors.Count > 0) return Problems.ValidationFailed(errors);
        var scopes = http.User.FindAll("scope").Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        var forbidden = body.Content!.Concat(body.Account!).Where(m => !Scopes.MayTake(scopes, m)).Distinct().ToList();
        if (forbidden.Count > 0)
            return Problems.Make(403, Problems.Forbidden, "The key may not take these measures.",
                $"{string.Join(", ", forbidden)}: suspending or banning an account needs the scopes {Scopes.PolicyAdmin} and {Scopes.AccountsRestrict}. Nothing was recorded.",
                new Dictionary<string, object?> { ["code"] = RestrictionCodes.MeasureNotPermitted });
        var request = new RestrictionRequest
        {
            DecisionId = id, Source = RestrictionSource.Person, Actor = new RestrictionActor(AdminEndpoints.Actor(http), m => Scopes.MayTake(scopes, m)),
            Policy = body.Policy, Measures = [.. body.Content!, .. body.Account!], SuspensionDays = body.SuspensionDays,
            Violation = body.Violation, Reason = body.Reason,
        };
        if (body.Preview)
        {
            var plan = await writer.PreviewAsync(request, ct);
            if (plan.NotFound) return Problems.Make(404, Problems.NotFound, "Not found.", plan.Refusal!, new Dictionary<string, object?> { ["code"] = plan.RefusalCode });
            return TypedResults.Ok(ConfirmResponse.Of(plan, applied: false, null));
        }
        var result = await writer.CommitAsync(request, ct);
        if (result.Applied) return TypedResults.Ok(ConfirmResponse.Of(result.Plan, applied: true, result.Statement));
        // The English detail explains; the code (docs/api.md) is what a client branches on.
        var code = new Dictionary<string, object?> { ["code"] = result.ErrorCode };
        if (result.NotFound) return Problems.Make(404, Problems.NotFound, "Not found.", result.Error!, code);
        return RestrictionCodes.IsPermission(result.ErrorCode)
            ? Problems.Make(403, Problems.Forbidden, "The key may not take a measure this confirmation causes.", result.Error!, code)
            : Problems.Make(409, Problems.Validation, "The decision cannot be confirmed.", result.Error!, code);
    }

    private static async Task<(IReadOnlyList<RuleFile>? Files, ProblemHttpResult? Problem)> ReadFilesAsync(HttpContext http, CancellationToken ct)
    {
        var (body, problem) = await ReadAsync<RuleFilesRequest>(http, ct);
        if (problem is not null) return (null, problem);
        if (body!.Files is not { Count: > 0 } files) return (null, Problems.ValidationFailed([new FieldError("files", "at least one file ({name, text}) is required")]));
        var errors = new List<FieldError>();
        for (var i = 0; i < files.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(files[i].Name) || files[i].Name.Length > 200) errors.Add(new($"files[{i}].name", "is required (1–200 characters)"));
            if (files[i].Text is null) errors.Add(new($"files[{i}].text", "is required"));
        }
        if (files.Select(f => f.Name).Distinct().Count() != files.Count) errors.Add(new("files", "file names must be unique"));
        if (files.Count > MaxFiles) errors.Add(new("files", $"at most {MaxFiles} files"));
        if (files.Sum(f => (long)(f.Text?.Length ?? 0)) > MaxChars) errors.Add(new("files", $"at most {MaxChars} characters in all"));
        return errors.Count > 0 ? (null, Problems.ValidationFailed(errors)) : (files, null);
    }

    private static Task<(T? Value, ProblemHttpResult? Problem)> ReadAsync<T>(HttpContext http, CancellationToken ct) where T : class =>
        JsonBody.ReadBoundAsync<T>(http, ct);
}
