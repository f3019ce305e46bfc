using Footage.Data;
using Footage.Data.Migrations;
using Footage.ServiceDefaults.Access;
using Footage.ServiceDefaults.Audit;
using Footage.ServiceDefaults.Auth;
using Footage.ServiceDefaults.Errors;
using Footage.ServiceDefaults.Health;
using Footage.ServiceDefaults.Json;
using Footage.ServiceDefaults.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Prometheus;

namespace Footage.ServiceDefaults;

/// <summary>What every host of every module gets: JSON, problem details, identity, health, metrics, OpenAPI, the database.</summary>
public static class ServiceDefaultsExtensions
{
    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        Metrics.MetricDefaults.Apply();
        services.AddOptions<FootageOptions>().BindConfiguration(FootageOptions.Section);
        var dataDirectory = FootageOptions.ResolveDataDirectory(builder.Configuration[$"{FootageOptions.Section}:DataDirectory"]);
        Directory.CreateDirectory(dataDirectory);

        services.AddSingleton(TimeProvider.System);
        services.ConfigureHttpJsonOptions(o => FootageJson.Configure(o.SerializerOptions));
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Instance ??= context.HttpContext.Request.Path;
            context.ProblemDetails.Extensions["trace_id"] = context.HttpContext.TraceIdentifier;
        });
        services.AddSingleton<IProblemDetailsWriter, ProblemJsonWriter>();
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.AddOptions<SecurityOptions>().BindConfiguration(SecurityOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SecurityOptions>, SecurityOptionsValidation>();
        services.AddSingleton<InternalCallers>();
        AddKeyRing(services, builder.Configuration[$"{FootageOptions.Section}:DataProtection:KeysDirectory"], dataDirectory);
        services.AddOptions<Work.WorkOptions>().BindConfiguration(Work.WorkOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<Work.WorkLimiter>();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<SecurityOptions>>((forwarded, security) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor;
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var network in security.Value.TrustedProxyNetworks())
            {
                forwarded.KnownIPNetworks.Add(network);
            }
        });
        services.AddFootageRateLimits();
        services.AddCors(o => o.AddDefaultPolicy(policy =>
        {
            var origins = builder.Configuration.GetSection($"{SecurityOptions.Section}:CorsAllowedOrigins").Get<string[]>() ?? [];
            policy.WithOrigins(origins)
                .WithMethods("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
                .WithHeaders("X-Api-Key", "Authorization", "Content-Type", "Range", "If-None-Match")
                .WithExposedHeaders("Content-Range", "Content-Length", "Content-Disposition", "ETag", "Location");
        }));
        services.AddSingleton<AuditLog>();
        services.AddSingleton<RefusalAuditor>();
        services.AddHostedService<RefusalAuditFlusher>();
        services.AddSingleton<AccessLog>();
        services.AddHostedService<AccessLogFlusher>();
        services.AddSingleton<Data.Migrations.IMigrationSource, AuditMigrations>();
        services.AddFootageDatabase(dataDirectory);
        services.AddFootageAuth(builder.Configuration);
        services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Footage API";
            document.Info.Description = "Recording, storage, metadata and playback of CCTV footage.";
            return Task.CompletedTask;
        }));
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        return builder;
    }

    /// <summary>
    /// Middleware in order, and the service endpoints: <c>/health</c> (open; in detail for the inside and admins),
    /// <c>/metrics</c> and <c>/openapi/v1.json</c> (the inside and admins only, <see cref="InternalCallers"/>).
    /// </summary>
    public static WebApplication UseServiceDefaults(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<SecurityOptions>>().Value.TrustedProxies.Count > 0)
        {
            app.UseForwardedHeaders();
        }

        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.Use(SecurityHeadersFirst);
        app.Use(RejectLargeBodies);
        app.Use(RejectNonUtf8Bodies);
        app.UseHttpMetrics();
        app.UseCors();
        app.UseMiddleware<RefusalAuditMiddleware>();
        app.UseFailedSignInLimit();
        app.UseAuthentication();
        app.UseMiddleware<FailedSignInMiddleware>();
        app.UseCallerRequestLimit();
        app.UseAuthorization();
        app.UseMiddleware<AuditMiddleware>();
        app.UseMiddleware<Access.CameraRouteGuard>();

        app.MapHealthChecks("/health", new HealthCheckOptions
        {
            ResponseWriter = HealthResponseWriter.WriteAsync,
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status200OK,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
        }).AllowAnonymous().DisableRateLimiting();
        app.MapMetrics("/metrics").RequireAuthorization(InternalCallers.Policy).DisableRateLimiting();
        app.MapOpenApi("/openapi/{documentName}.json").RequireAuthorization(InternalCallers.Policy);
        app.MapApiKeysApi();
        app.MapAuditApi();
        app.MapCameraGroupsApi();
        app.MapAccessScopesApi();
        return app;
    }

    /// <summary>Applies migrations and makes sure an admin key exists; call before <c>Run</c>.</summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app, CancellationToken cancellationToken = default)
    {
        await app.Services.GetRequiredService<MigrationRunner>().MigrateAsync(cancellationToken);
        foreach (var task in app.Services.GetServices<IDatabaseStartupTask>())
        {
            await task.RunAsync(cancellationToken);
        }

        await app.Services.GetRequiredService<AdminKeyBootstrapper>().EnsureAdminKeyAsync(cancellationToken);
    }

    /// <summary>
    /// The Data Protection key ring that encrypts stored credentials (<see cref="Secrets.CredentialProtector"/>): in
    /// <c>keys</c> in the data folder, or <c>Footage:DataProtection:KeysDirectory</c>, a folder every process of a fleet
    /// that reads cameras shares. Back it up with the database: without it the stored credentials cannot be read.
    /// </summary>
    private static void AddKeyRing(IServiceCollection services, string? configured, string dataDirectory)
    {
        var keys = Path.GetFullPath(string.IsNullOrWhiteSpace(configured) ? Path.Combine(dataDirectory, "keys") : configured);
        if (!Directory.Exists(keys))
        {
            Directory.CreateDirectory(keys);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(keys, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        services.AddDataProtection().SetApplicationName("Footage").PersistKeysToFileSystem(new DirectoryInfo(keys));
        services.AddSingleton<Secrets.CredentialProtector>();
    }

    private static Task RejectLargeBodies(HttpContext context, Func<Task> next)
    {
        // an endpoint that takes large uploads (an evidence package to verify) says so with its own limit
        var max = context.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IRequestSizeLimitMetadata>()?.MaxRequestBodySize
                  ?? context.RequestServices.GetRequiredService<IOptions<FootageOptions>>().Value.MaxRequestBodyBytes;
        var feature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (feature is { IsReadOnly: false })
        {
            feature.MaxRequestBodySize = max;
        }

        if (context.Request.ContentLength > max)
        {
            throw new BadHttpRequestException($"The request body is larger than {max} bytes.", StatusCodes.Status413PayloadTooLarge);
        }

        return next();
    }

    /// <summary>JSON is UTF-8 (RFC 8259); a body declared in another charset is refused, not decoded on a guess (an unknown one used to be a 500).</summary>
    private static Task RejectNonUtf8Bodies(HttpContext context, Func<Task> next)
    {
        if (Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var type) &&
            type.Charset is { Length: > 0 } charset &&
            !charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !charset.Equals("utf8", StringComparison.OrdinalIgnoreCase))
        {
            throw new BadHttpRequestException($"The request body must be UTF-8, not '{charset}'.", StatusCodes.Status415UnsupportedMediaType);
        }

        return next();
    }

    /// <summary>Set as the response starts, so that an error page written after the exception handler cleared the response has them too.</summary>
    private static Task SecurityHeadersFirst(HttpContext context, Func<Task> next)
    {
        context.Response.OnStarting(() =>
        {
            SecurityHeaders.Apply(context);
            return Task.CompletedTask;
        });
        return next();
    }
}
