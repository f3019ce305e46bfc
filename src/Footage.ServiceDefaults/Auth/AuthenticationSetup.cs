using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace Footage.ServiceDefaults.Auth;

/// <summary>
/// One policy scheme picks how a request proves who it is: a bearer token, an API key, or a signed link.
/// Every endpoint needs at least the viewer role unless it says otherwise.
/// </summary>
public static class AuthenticationSetup
{
    public const string Scheme = "Footage";
    public const string ViewerOrSignedLink = "viewer-or-signed-link";

    public static IServiceCollection AddFootageAuth(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<AuthOptions>, AuthOptionsValidation>();
        var options = configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
        services.AddMemoryCache();
        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton<AdminKeyBootstrapper>();
        services.AddSingleton<LinkSigner>();
        services.AddSingleton<Data.Migrations.IMigrationSource, IdentityMigrations>();
        services.AddSingleton<Data.Migrations.IMigrationSource, Access.AccessMigrations>();
        services.AddSingleton<Access.CameraGroupStore>();
        services.AddSingleton<Access.CameraAccess>();
        services.AddSingleton<Core.Cameras.ICameraVisibility, Access.GroupCameraVisibility>();

        var jwtEnabled = options.Jwt.Enabled;
        var builder = services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "API key, bearer token or signed link", policy =>
            {
                policy.ForwardDefaultSelector = context =>
                {
                    var authorization = context.Request.Headers.Authorization.ToString();
                    if (jwtEnabled && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
                    {
                        return JwtBearerDefaults.AuthenticationScheme;
                    }

                    if (!context.Request.Headers.ContainsKey(ApiKeyAuthenticationHandler.HeaderName) &&
                        SignedLinkAuthenticationHandler.Presents(context.Request))
                    {
                        return SignedLinkAuthenticationHandler.SchemeName;
                    }

                    return ApiKeyAuthenticationHandler.SchemeName;
                };
            })
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddScheme<AuthenticationSchemeOptions, SignedLinkAuthenticationHandler>(SignedLinkAuthenticationHandler.SchemeName, null);

        if (jwtEnabled)
        {
            builder.AddJwtBearer(jwt =>
            {
                jwt.MapInboundClaims = false;
                jwt.RequireHttpsMetadata = options.Jwt.RequireHttpsMetadata;
                if (!string.IsNullOrWhiteSpace(options.Jwt.Authority))
                {
                    jwt.Authority = options.Jwt.Authority;
                }

                // issuer and audience always checked (start-up refuses tokens without them), the algorithms pinned
                jwt.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidateIssuer = true,
                    ValidIssuer = options.Jwt.Issuer,
                    ValidateAudience = true,
                    ValidAudience = options.Jwt.Audience,
                    ValidAlgorithms = options.Jwt.EffectiveAlgorithms(),
                    RequireSignedTokens = true,
                    RequireExpirationTime = true,
                    ValidateLifetime = true,
                    RoleClaimType = options.Jwt.RoleClaim,
                    NameClaimType = "preferred_username",
                    ClockSkew = TimeSpan.FromSeconds(30),
                };
                if (!string.IsNullOrWhiteSpace(options.Jwt.SigningKey))
                {
                    jwt.TokenValidationParameters.IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(options.Jwt.SigningKey));
                }
            });
        }

        services.AddAuthorizationBuilder()
            .AddPolicy(Roles.Viewer, p => p.RequireAuthenticatedUser().RequireRole(Roles.AtLeast(Roles.Viewer)))
            .AddPolicy(Roles.Operator, p => p.RequireAuthenticatedUser().RequireRole(Roles.AtLeast(Roles.Operator)))
            .AddPolicy(Roles.Admin, p => p.RequireAuthenticatedUser().RequireRole(Roles.AtLeast(Roles.Admin)))
            .AddPolicy(Security.InternalCallers.Policy, p => p.RequireAssertion(context =>
                context.Resource is HttpContext http && http.RequestServices.GetRequiredService<Security.InternalCallers>().Allows(http)))
            .AddPolicy(ViewerOrSignedLink, p => p.RequireAuthenticatedUser().RequireAssertion(context =>
                context.User.HasClaim("signed_link", "true") || Roles.AtLeast(Roles.Viewer).Any(context.User.IsInRole)))
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireRole(Roles.AtLeast(Roles.Viewer)).Build());
        return services;
    }
}
