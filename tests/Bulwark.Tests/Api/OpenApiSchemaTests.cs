using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bulwark.Core.Storage;
using Bulwark.Server.Api;
using Bulwark.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Tests.Api;

/// <summary>
/// The OpenAPI document's request schemas are the contract the handlers bind: every documented JSON body names the type
/// and options its handler reads (<see cref="BoundJsonBody"/>), and its schema has exactly that type's JSON property
/// names, its required fields, and refuses unknown fields where the reader does.
/// </summary>
public class OpenApiSchemaTests
{
    [Fact]
    public async Task Every_documented_request_body_has_the_bound_types_properties_and_required_fields()
    {
        await using var host = await ApiHost.StartAsync(DatabaseProvider.Sqlite);
        var doc = await host.Client(null).GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        // The researcher API has its own document (/openapi/research.json), held to the same rule.
        var research = await host.Client(null).GetFromJsonAsync<JsonElement>("/openapi/research.json");
        var endpoints = host.Services.GetServices<EndpointDataSource>().SelectMany(s => s.Endpoints).OfType<RouteEndpoint>().ToList();

        var checkedBodies = new List<string>();
        var nestedChecked = 0;
        foreach (var e in endpoints)
        {
            // The research token endpoint takes a form (OAuth 2.0); it lets JSON through only to refuse it with an OAuth error.
            var accepts = e.Metadata.GetOrderedMetadata<IAcceptsMetadata>()
                .Where(a => a.ContentTypes.Contains("application/json") && a.RequestType != typeof(Microsoft.AspNetCore.Http.IFormCollection)).ToList();
            if (accepts.Count == 0) continue;
            var route = "/" + e.RoutePattern.RawText!.TrimStart('/');
            var method = e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods.Single().ToLowerInvariant();
            // A body the API documents is a body a handler binds, with the type and options recorded beside it.
            // (Either declared with AcceptsJson<T>, or a handler parameter the framework binds with its JSON options.)
            var bound = BoundJsonBody.Of(e, host.Services);
            Assert.True(bound is not null, $"{method} {route} documents a JSON body without the type it binds (use AcceptsJson<T>)");
            Assert.All(accepts, a => Assert.Equal(bound!.Type, a.RequestType));

            var owner = doc.GetProperty("paths").TryGetProperty(OpenApiPath(route), out _) ? doc : research;
            var schemas = owner.GetProperty("components").GetProperty("schemas");
            var operation = owner.GetProperty("paths").GetProperty(OpenApiPath(route)).GetProperty(method);
            var schema = operation.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema");
            // An optional body is "null or the type".
            if (schema.TryGetProperty("oneOf", out var alternatives))
                schema = alternatives.EnumerateArray().Single(a => a.TryGetProperty("$ref", out _));
            if (schema.TryGetProperty("$ref", out var reference)) schema = schemas.GetProperty(reference.GetString()!.Split('/')[^1]);

            Check(bound!, schema, $"{method} {route}");
            // Objects nested in the body (list elements, sub-objects) are read with the same options and documented the same way.
            foreach (var nested in bound!.Nested())
                if (schemas.TryGetProperty(nested.Type.Name, out var nestedSchema))
                {
                    Check(nested, nestedSchema, $"{method} {route} ({nested.Type.Name})");
                    nestedChecked++;
                }
            checkedBodies.Add($"{method} {OpenApiPath(route)}");
        }
        Assert.Contains("post /api/v1/appeals", checkedBodies);
        Assert.Contains("post /api/v1/appeals/{id}/decision", checkedBodies);
        Assert.Contains("post /api/v1/accounts", checkedBodies);
        Assert.Contains("put /api/v1/policies", checkedBodies);
        Assert.True(checkedBodies.Count >= 25, string.Join("\n", checkedBodies));
        Assert.True(nestedChecked >= 3, $"{nestedChecked} nested schemas checked");

        Assert.Contains("post /research/v1/{dataset}/query", checkedBodies);

        // The appeal schemas say what the server does: one of decisionId and contentId, a reason; decidedBy optional.
        var v1Schemas = doc.GetProperty("components").GetProperty("schemas");
        var appeal = v1Schemas.GetProperty("NewAppeal");
        Assert.Equal(["reason"], appeal.GetProperty("required").EnumerateArray().Select(x => x.GetString()));
        Assert.Equal(JsonValueKind.False, appeal.GetProperty("additionalProperties").ValueKind);
        var decision = v1Schemas.GetProperty("AppealDecisionRequest");
        Assert.Equal(["outcome", "statement"], decision.GetProperty("required").EnumerateArray().Select(x => x.GetString()));
    }

    [Fact]
    public async Task The_fields_the_appeal_schemas_require_are_the_ones_the_server_refuses_to_go_without()
    {
        await using var host = await ApiHost.StartAsync(DatabaseProvider.Sqlite);
        var platform = host.Client(await host.KeyAsync("ingest"));
        var decider = host.Client(await host.KeyAsync("appeals:decide"));

        var noReason = await platform.PostAsJsonAsync("/api/v1/appeals", new { contentId = "c-1" });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Contains("\"reason\"", await noReason.Content.ReadAsStringAsync());
        var unknownField = await platform.PostAsJsonAsync("/api/v1/appeals", new { contentId = "c-1", reason = "x", extra = 1 });
        Assert.Equal(HttpStatusCode.BadRequest, unknownField.StatusCode);

        var noStatement = await decider.PostAsJsonAsync("/api/v1/appeals/1/decision", new { outcome = "upheld" });
        Assert.Equal(HttpStatusCode.BadRequest, noStatement.StatusCode);
        Assert.Contains("\"statement\"", await noStatement.Content.ReadAsStringAsync());
        var noOutcome = await decider.PostAsJsonAsync("/api/v1/appeals/1/decision", new { statement = "s" });
        Assert.Equal(HttpStatusCode.BadRequest, noOutcome.StatusCode);
        Assert.Contains("\"outcome\"", await noOutcome.Content.ReadAsStringAsync());
    }

    private static void Check(BoundJsonBody bound, JsonElement schema, string where)
    {
        var (properties, required, closed) = bound.Contract();
        var documented = schema.TryGetProperty("properties", out var props) ? props.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToList() : [];
        Assert.True(properties.Order(StringComparer.Ordinal).SequenceEqual(documented),
            $"{where}: schema properties [{string.Join(", ", documented)}] but {bound.Type.Name} binds [{string.Join(", ", properties)}]");
        var documentedRequired = schema.TryGetProperty("required", out var r) ? r.EnumerateArray().Select(x => x.GetString()!).ToHashSet() : [];
        Assert.True(required.SetEquals(documentedRequired),
            $"{where}: schema requires [{string.Join(", ", documentedRequired)}] but {bound.Type.Name} requires [{string.Join(", ", required)}]");
        var documentedClosed = schema.TryGetProperty("additionalProperties", out var extra) && extra.ValueKind == JsonValueKind.False;
        Assert.True(closed == documentedClosed, $"{where}: unknown fields {(closed ? "refused" : "accepted")} by the reader, {(documentedClosed ? "refused" : "allowed")} by the schema");
    }

    /// <summary>A route pattern as OpenAPI writes it: parameter constraints dropped (<c>{id:long}</c> → <c>{id}</c>).</summary>
    private static string OpenApiPath(string route) =>
        System.Text.RegularExpressions.Regex.Replace(route, @"\{(\w+)(:[^}]*)?\}", "{$1}").TrimEnd('/') is { Length: > 0 } p ? p : "/";
}
