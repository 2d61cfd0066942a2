using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Bulwark.Core.Ingest;
using Bulwark.Core.Reports.Research;
using Bulwark.Core.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bulwark.Server.Api;

public sealed record ResearchErrorBody(
    [property: JsonPropertyName("code")] string Code, [property: JsonPropertyName("message")] string Message, [property: JsonPropertyName("log_id")] string LogId);

public sealed record ResearchEnvelope([property: JsonPropertyName("data")] object? Data, [property: JsonPropertyName("error")] ResearchErrorBody Error);

public sealed record TokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken, [property: JsonPropertyName("expires_in")] int ExpiresIn,
    [property: JsonPropertyName("token_type")] string TokenType);

public sealed record OAuthError([property: JsonPropertyName("error")] string Error, [property: JsonPropertyName("error_description")] string Description);

public sealed record ApplicationRequest(
    string? Title, string? Organisation, string? ApplicantName, string? ApplicantEmail, string? IndependenceDeclaration, string? Funding,
    string? Description, string? Safeguards, string? PublicSummary, Dictionary<string, List<string>>? Requested, string? Start, string? End);

public sealed record DecisionRequest(string? Decision, string? Reason, Dictionary<string, List<string>>? Grant, string? EndDate, int? DailyRequests, int? DailyRecords, int? PerMinute);
public sealed record MemberRequest(string? Name);
public sealed record RevokeMemberRequest(string? Reason);
public sealed record ObjectionRequest(string? AccountId, string? ContentId);
public sealed record ProjectView(long Id, string Title, string Organisation, string Status, string PublicSummary, JsonElement Requested, JsonElement Granted,
    bool Narrowed, string? EndDate, int DailyRequests, int DailyRecords, int PerMinute, string? DecisionReason, string? DecidedBy, DateTimeOffset AppliedAt);

/// <summary>
/// The researcher API (<c>/research/v1</c>, its own OpenAPI document <c>/openapi/research.json</c>): OAuth client credentials,
/// the public catalogue, queries and aggregates in the TikTok-Research-API envelope <c>{data, error:{code,message,log_id}}</c>.
/// Authentication is its own bearer token (never an API key or a console session). Project administration lives under
/// <c>/api/v1/research</c> for policy admins.
/// </summary>
public static class ResearchEndpoints
{
    public const string DocumentName = "research";
    private static readonly JsonSerializerOptions Strict = new(JsonSerializerOptions.Web) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };

    public static void MapResearchEndpoints(this IEndpointRouteBuilder app)
    {
        var research = app.MapGroup("/research/v1").WithTags("Research").WithGroupName(DocumentName).AllowAnonymous();
        research.MapGet("/catalogue", () => Envelope(Codebook.Catalogue(), ResearchErrors.Ok, "", NewLogId()))
            .WithName("ResearchCatalogue").WithSummary("Public: every dataset with its fields, types, sensitivity, modality and changelog.");
        research.MapGet("/projects", async (ResearchProjects projects, CancellationToken ct) => Envelope(await projects.PublicAsync(ct), ResearchErrors.Ok, "", NewLogId()))
            .WithName("ResearchProjectsPublic").WithSummary("Public: approved projects' titles, organisations, public summaries, datasets and end dates.");
        research.MapPost("/applications", ApplyAsync).WithName("ResearchApply").AcceptsJson<ApplicationRequest>(Strict)
            .WithSummary("Apply for access: organisation, independence declaration, funding, description, requested datasets and fields, time frame, safeguards, public summary.");
        // JSON is accepted by routing only so that the handler can answer it with OAuth's invalid_request.
        research.MapPost("/oauth/token", TokenAsync).WithName("ResearchToken").DisableAntiforgery().Accepts<IFormCollection>("application/x-www-form-urlencoded", "application/json")
            .WithSummary("OAuth 2.0 client credentials: form fields client_id, client_secret, grant_type=client_credentials → {access_token, expires_in, token_type}.");
        research.MapPost("/oauth/revoke", RevokeAsync).WithName("ResearchRevokeToken").DisableAntiforgery().Accepts<IFormCollection>("application/x-www-form-urlencoded")
            .WithSummary("Revoke an access token (form field token; RFC 7009). Always 200.");
        research.MapPost("/{dataset}/query", QueryAsync).WithName("ResearchQuery").AcceptsJson<QueryRequest>(Strict)
            .WithSummary("Items of a dataset matching the query object; ?fields=a,b; page with cursor and search_id.");
        research.MapPost("/{dataset}/aggregate", AggregateAsync).WithName("ResearchAggregate").AcceptsJson<AggregateRequest>(Strict)
            .WithSummary("Counts grouped by one or two fields; cells below the floor suppressed, with complementary suppression.");
        research.MapGet("/log", LogAsync).WithName("ResearchLog").WithSummary("The project's own query log, newest first (?before=&limit=).");

        var admin = app.MapGroup("/api/v1/research").WithTags("Research administration").RequireAuthorization(Scopes.PolicyAdmin);
        admin.MapGet("/projects", async (string? status, ResearchProjects p, CancellationToken ct) => TypedResults.Ok((await p.ListAsync(status, ct)).Select(View).ToList()))
            .WithName("ListResearchProjects").WithSummary("Every application and project, optionally ?status=applied|approved|rejected.");
        admin.MapPost("/projects/{id:long}/decision", DecideAsync).WithName("DecideResearchProject").AcceptsJson<DecisionRequest>(Strict)
            .WithSummary("approve, narrow (grant a subset) or reject, with a reason; sets the end date and quota. Audited.");
        admin.MapPost("/projects/{id:long}/members", AddMemberAsync).WithName("AddResearchMember").AcceptsJson<MemberRequest>(Strict)
            .WithSummary("Add the principal (first) or a collaborator (up to 9); returns client_id and client_secret once. Audited.");
        admin.MapPost("/members/{clientId}/revoke", RevokeMemberAsync).WithName("RevokeResearchMember").AcceptsJson<RevokeMemberRequest>(Strict)
            .WithSummary("Revoke a member's credentials and tokens. Audited.");
        app.MapPost("/api/v1/research/objections", ObjectAsync).WithTags("Research administration").RequireAuthorization(Scopes.Ingest)
            .WithName("RecordResearchObjection").AcceptsJson<ObjectionRequest>(Strict)
            .WithSummary("A user objected to research use: {accountId} or {contentId} leaves every later research answer. Audited.");
    }

    private static async Task<IResult> TokenAsync(HttpContext http, ResearchTokens tokens, CancellationToken ct)
    {
        http.Response.Headers.CacheControl = "no-store";
        if (!http.Request.HasFormContentType)
            return OAuth(400, "invalid_request", "Send the parameters form-encoded (application/x-www-form-urlencoded).");
        var form = await http.Request.ReadFormAsync(ct);
        var grant = form["grant_type"].ToString();
        if (grant != "client_credentials") return OAuth(400, "unsupported_grant_type", $"grant_type must be client_credentials, got '{Clip(grant)}'.");
        var id = form["client_id"].ToString();
        var secret = form["client_secret"].ToString();
        if (id.Length == 0 || secret.Length == 0) return OAuth(400, "invalid_request", "client_id and client_secret are required.");
        var (token, error, description) = await tokens.IssueAsync(id, secret, ct);
        if (token is null) return OAuth(error == "invalid_client" ? 401 : 400, error!, description!);
        return TypedResults.Json(new TokenResponse(token.AccessToken, token.ExpiresIn, "Bearer"));
    }

    private static async Task<IResult> RevokeAsync(HttpContext http, ResearchTokens tokens, CancellationToken ct)
    {
        if (!http.Request.HasFormContentType) return OAuth(400, "invalid_request", "Send the token form-encoded.");
        var form = await http.Request.ReadFormAsync(ct);
        if (form["token"].ToString() is { Length: > 0 } token) await tokens.RevokeAsync(token, ct);
        return TypedResults.Ok();
    }

    private static async Task<IResult> QueryAsync(string dataset, string? fields, HttpContext http, ResearchTokens tokens, ResearchQueries queries, CancellationToken ct)
    {
        var (caller, denied) = await AuthenticateAsync(http, tokens, ct);
        if (caller is null) return denied!;
        var (body, problem) = await JsonBody.ReadAsync<QueryRequest>(http, Strict, ct);
        if (problem is not null) return Envelope(null, ResearchErrors.InvalidParam, problem.ProblemDetails.Detail ?? "malformed body", NewLogId());
        return Answer(http, await queries.QueryAsync(caller, dataset, body!, fields, ct));
    }

    private static async Task<IResult> AggregateAsync(string dataset, HttpContext http, ResearchTokens tokens, ResearchQueries queries, CancellationToken ct)
    {
        var (caller, denied) = await AuthenticateAsync(http, tokens, ct);
        if (caller is null) return denied!;
        var (body, problem) = await JsonBody.ReadAsync<AggregateRequest>(http, Strict, ct);
        if (problem is not null) return Envelope(null, ResearchErrors.InvalidParam, problem.ProblemDetails.Detail ?? "malformed body", NewLogId());
        return Answer(http, await queries.AggregateAsync(caller, dataset, body!, ct));
    }

    private static async Task<IResult> LogAsync(long? before, int? limit, HttpContext http, ResearchTokens tokens, ResearchQueries queries, CancellationToken ct)
    {
        var (caller, denied) = await AuthenticateAsync(http, tokens, ct);
        if (caller is null) return denied!;
        var entries = await queries.LogAsync(caller, before, limit ?? 50, ct);
        return Envelope(new { entries }, ResearchErrors.Ok, "", NewLogId());
    }

    private static async Task<(ResearchCaller? Caller, IResult? Denied)> AuthenticateAsync(HttpContext http, ResearchTokens tokens, CancellationToken ct)
    {
        var header = http.Request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
        var (caller, error) = await tokens.ValidateAsync(token, ct);
        if (caller is not null) return (caller, null);
        http.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
        return (null, Envelope(null, ResearchErrors.AccessTokenInvalid, error!, NewLogId()));
    }

    private static IResult Answer(HttpContext http, ResearchAnswer answer)
    {
        if (answer.Quota is { } q)
        {
            http.Response.Headers["X-RateLimit-Limit"] = q.Limit.ToString(CultureInfo.InvariantCulture);
            http.Response.Headers["X-RateLimit-Remaining"] = q.Remaining.ToString(CultureInfo.InvariantCulture);
            http.Response.Headers["X-RateLimit-Reset"] = q.Reset.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            http.Response.Headers["X-RateLimit-Records-Remaining"] = q.RecordsRemaining.ToString(CultureInfo.InvariantCulture);
            if (answer.Status == 429) http.Response.Headers.RetryAfter = Math.Max(1, q.RetryAfterSeconds).ToString(CultureInfo.InvariantCulture);
        }
        if (answer.RetryAfterSeconds is { } retry) http.Response.Headers.RetryAfter = retry.ToString(CultureInfo.InvariantCulture);
        return Envelope(answer.Data, answer.Code, answer.Message, answer.LogId);
    }

    private static IResult Envelope(object? data, string code, string message, string logId) =>
        TypedResults.Json(new ResearchEnvelope(data ?? new Dictionary<string, object>(), new ResearchErrorBody(code, message, logId)), statusCode: ResearchErrors.Status(code));

    private static IResult OAuth(int status, string error, string description) => TypedResults.Json(new OAuthError(error, description), statusCode: status);

    private static async Task<IResult> ApplyAsync(HttpContext http, ResearchProjects projects, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<ApplicationRequest>(http, Strict, ct);
        if (problem is not null) return problem;
        var errors = new List<FieldError>();
        var start = Date(errors, "start", body!.Start);
        var end = Date(errors, "end", body.End);
        if (errors.Count > 0) return Problems.ValidationFailed(errors);
        var result = await projects.ApplyAsync(new ResearchApplication(body.Title, body.Organisation, body.ApplicantName, body.ApplicantEmail,
            body.IndependenceDeclaration, body.Funding, body.Description, body.Safeguards, body.PublicSummary, Grant(body.Requested), start, end), "research-applicant", ct);
        return result.Ok ? TypedResults.Created($"/api/v1/research/projects/{result.Value}", new { id = result.Value, status = ProjectStatus.Applied }) : Problems.ValidationFailed(result.Errors);
    }

    private static async Task<IResult> DecideAsync(long id, HttpContext http, ResearchProjects projects, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<DecisionRequest>(http, Strict, ct);
        if (problem is not null) return problem;
        var errors = new List<FieldError>();
        var end = Date(errors, "endDate", body!.EndDate);
        if (errors.Count > 0) return Problems.ValidationFailed(errors);
        var result = await projects.DecideAsync(id, new ProjectDecision(body.Decision ?? "", body.Reason, body.Grant is null ? null : Grant(body.Grant), end,
            body.DailyRequests, body.DailyRecords, body.PerMinute), AdminEndpoints.Actor(http), ct);
        if (result.Ok) return TypedResults.Ok(View(result.Value!));
        return result.Errors.Any(e => e.Field == "id") ? Problems.NotFoundResult(result.Errors[0].Message) : Problems.ValidationFailed(result.Errors);
    }

    private static async Task<IResult> AddMemberAsync(long id, HttpContext http, ResearchProjects projects, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<MemberRequest>(http, Strict, ct);
        if (problem is not null) return problem;
        var result = await projects.AddMemberAsync(id, body!.Name, AdminEndpoints.Actor(http), ct);
        return result.Ok
            ? TypedResults.Ok(new { member_id = result.Value!.MemberId, client_id = result.Value.ClientId, client_secret = result.Value.ClientSecret })
            : Problems.ValidationFailed(result.Errors);
    }

    private static async Task<IResult> RevokeMemberAsync(string clientId, HttpContext http, ResearchProjects projects, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<RevokeMemberRequest>(http, Strict, ct);
        if (problem is not null) return problem;
        if (string.IsNullOrWhiteSpace(body!.Reason)) return Problems.ValidationFailed([new FieldError("reason", "is required")]);
        return await projects.RevokeMemberAsync(clientId, body.Reason, AdminEndpoints.Actor(http), ct)
            ? TypedResults.Ok(new { client_id = clientId, revoked = true })
            : Problems.NotFoundResult($"No active research member has client_id '{Clip(clientId)}'.");
    }

    private static async Task<IResult> ObjectAsync(HttpContext http, ResearchProjects projects, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<ObjectionRequest>(http, Strict, ct);
        if (problem is not null) return problem;
        if ((body!.AccountId is null) == (body.ContentId is null))
            return Problems.ValidationFailed([new FieldError("accountId", "give exactly one of accountId and contentId")]);
        var id = body.AccountId ?? body.ContentId!;
        if (!ContentEventValidator.IdPattern().IsMatch(id)) return Problems.ValidationFailed([new FieldError(body.AccountId is null ? "contentId" : "accountId", "is not a platform id")]);
        return TypedResults.Ok(new { id = await projects.RecordObjectionAsync(body.AccountId, body.ContentId, AdminEndpoints.Actor(http), ct) });
    }

    private static ProjectView View(ResearchProjectRow p) => new(p.Id, p.Title, p.Organisation, p.Status, p.PublicSummary,
        JsonDocument.Parse(p.RequestedJson).RootElement.Clone(), JsonDocument.Parse(p.GrantedJson).RootElement.Clone(), p.Narrowed,
        p.EndDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), p.DailyRequests, p.DailyRecords, p.PerMinute, p.DecisionReason, p.DecidedBy, p.AppliedAt);

    private static Dictionary<string, IReadOnlyList<string>>? Grant(Dictionary<string, List<string>>? g) =>
        g?.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<string>)(kv.Value ?? []));

    private static DateOnly? Date(List<FieldError> errors, string field, string? value)
    {
        if (value is null) return null;
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return d;
        errors.Add(new FieldError(field, $"'{Clip(value)}' is not a date as YYYY-MM-DD"));
        return null;
    }

    private static string NewLogId() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));
    private static string Clip(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
