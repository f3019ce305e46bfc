using Microsoft.Extensions.Options;

namespace Footage.ServiceDefaults.Security;

/// <summary>Stops the process at start with every wrong <c>Footage:Security</c> setting named.</summary>
public sealed class SecurityOptionsValidation : IValidateOptions<SecurityOptions>
{
    public ValidateOptionsResult Validate(string? name, SecurityOptions options)
    {
        var problems = options.Problems().ToArray();
        return problems.Length == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
