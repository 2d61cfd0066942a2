using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Bulwark.Server.Api;

/// <summary>
/// Endpoint metadata: the type a handler reads its JSON request body as, and the serializer options it reads it with.
/// The OpenAPI document's request schema is written from the same pair (<see cref="BoundBodySchemaTransformer"/>), and
/// <see cref="JsonBody.ReadBoundAsync{T}"/> reads the body with it, so the documented and the bound contract cannot drift.
/// </summary>
public sealed record BoundJsonBody(Type Type, JsonSerializerOptions Options)
{
    public JsonTypeInfo TypeInfo => Options.GetTypeInfo(Type);

    /// <summary>
    /// What <paramref name="endpoint"/> binds its JSON body as: its <see cref="BoundJsonBody"/> metadata, or, for a handler
    /// that takes the body as a parameter (the framework binds it), that type with the framework's JSON options; null when
    /// it binds no JSON body.
    /// </summary>
    public static BoundJsonBody? Of(Endpoint endpoint, IServiceProvider services)
    {
        if (endpoint.Metadata.GetMetadata<BoundJsonBody>() is { } declared) return declared;
        var handler = endpoint.Metadata.GetMetadata<MethodInfo>();
        var accepts = endpoint.Metadata.GetOrderedMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>()
            .FirstOrDefault(a => a.RequestType is not null && a.ContentTypes.Contains("application/json"));
        if (handler is null || accepts?.RequestType is not { } type || handler.GetParameters().All(p => p.ParameterType != type)) return null;
        return new BoundJsonBody(type, services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions);
    }

    /// <summary>
    /// The types nested in the body (objects in its properties, and the elements of its lists), read with the same options:
    /// their schemas follow the binder's contract too.
    /// </summary>
    public IEnumerable<BoundJsonBody> Nested()
    {
        var seen = new HashSet<Type> { Type };
        var pending = new Queue<JsonTypeInfo>([TypeInfo]);
        while (pending.TryDequeue(out var info))
            foreach (var p in info.Properties)
            {
                var child = Options.GetTypeInfo(p.PropertyType);
                if (child.Kind == JsonTypeInfoKind.Enumerable && child.ElementType is { } element) child = Options.GetTypeInfo(element);
                if (child.Kind != JsonTypeInfoKind.Object || child.Type == typeof(object) || !seen.Add(child.Type)) continue;
                pending.Enqueue(child);
                yield return new BoundJsonBody(child.Type, Options);
            }
    }

    /// <summary>The JSON property names the binder reads, and which of them a body must carry.</summary>
    public (IReadOnlyList<string> Properties, IReadOnlySet<string> Required, bool ClosedToUnknown) Contract()
    {
        var info = TypeInfo;
        var properties = info.Properties.Where(p => p.Set is not null || p.AssociatedParameter is not null).ToList();
        var required = properties.Where(IsRequired).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var closed = (info.UnmappedMemberHandling ?? Options.UnmappedMemberHandling) == JsonUnmappedMemberHandling.Disallow;
        return (properties.Select(p => p.Name).ToList(), required, closed);
    }

    /// <summary>
    /// Required by the binder (<c>required</c>, <c>[JsonRequired]</c>) or by the server's validation, which the type declares
    /// with <see cref="RequiredAttribute"/> on the property (the service refuses a body without it, naming the field).
    /// </summary>
    private static bool IsRequired(JsonPropertyInfo p) =>
        p.IsRequired || (p.AttributeProvider?.IsDefined(typeof(RequiredAttribute), inherit: true) ?? false);
}

public static class RequestBodies
{
    /// <summary>Documents a JSON request body as <typeparamref name="T"/> read with <paramref name="options"/>, and records both for the handler's reader.</summary>
    public static RouteHandlerBuilder AcceptsJson<T>(this RouteHandlerBuilder builder, JsonSerializerOptions options, params string[] additionalContentTypes) where T : notnull =>
        builder.Accepts<T>("application/json", additionalContentTypes).WithMetadata(new BoundJsonBody(typeof(T), options));
}

/// <summary>
/// Writes the schema of every bound request type from the binder's own contract: its property names, the fields a body
/// must carry (not every constructor parameter, which is what the default generator assumes for records), and
/// <c>additionalProperties: false</c> where the reader refuses unknown fields.
/// </summary>
public sealed class BoundBodySchemaTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        // Nested objects arrive with the property that holds them (JsonPropertyInfo set): the schema is still the type's.
        var bound = Bound(context.ApplicationServices).GetValueOrDefault(context.JsonTypeInfo.Type);
        if (bound is null || bound.TypeInfo.Kind != JsonTypeInfoKind.Object) return Task.CompletedTask;
        var (properties, required, closed) = bound.Contract();
        if (schema.Properties is { } documented)
            foreach (var name in documented.Keys.Except(properties, StringComparer.Ordinal).ToList()) documented.Remove(name);
        schema.Required = new SortedSet<string>(required, StringComparer.Ordinal);
        if (closed)
        {
            schema.AdditionalPropertiesAllowed = false;
            schema.AdditionalProperties = null;
        }
        return Task.CompletedTask;
    }

    /// <summary>Every endpoint's bound body, by type (a type bound by two endpoints is bound with the same options: checked by the tests).</summary>
    internal static IReadOnlyDictionary<Type, BoundJsonBody> Bound(IServiceProvider services)
    {
        var endpoints = services.GetServices<EndpointDataSource>().SelectMany(s => s.Endpoints);
        var map = new Dictionary<Type, BoundJsonBody>();
        foreach (var e in endpoints)
            if (BoundJsonBody.Of(e, services) is { } b)
            {
                map.TryAdd(b.Type, b);
                foreach (var nested in b.Nested()) map.TryAdd(nested.Type, nested);
            }
        return map;
    }
}
