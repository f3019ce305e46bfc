using Footage.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace Footage.Storage.Evidence;

/// <summary>A configured signing key that is missing or unusable stops the process at start, naming the setting.</summary>
public sealed class EvidenceOptionsValidation(IOptions<FootageOptions> footage) : IValidateOptions<EvidenceOptions>
{
    public ValidateOptionsResult Validate(string? name, EvidenceOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.SigningKey) && string.IsNullOrWhiteSpace(options.SigningKeyFile))
        {
            return ValidateOptionsResult.Success; // made in the data folder at first use
        }

        try
        {
            using var key = EvidenceSigner.Load(options, FootageOptions.ResolveDataDirectory(footage.Value.DataDirectory));
            return ValidateOptionsResult.Success;
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            return ValidateOptionsResult.Fail(e.Message);
        }
    }
}
