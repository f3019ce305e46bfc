namespace Footage.ServiceDefaults.Errors;

/// <summary>
/// Says which problem the exceptions of one module below the web layer are (that module throws its own exceptions,
/// never HTTP ones). <see cref="ProblemExceptionHandler"/> asks every one registered before its own cases.
/// </summary>
public interface IExceptionProblems
{
    /// <returns>Null when the exception is not one of this module's.</returns>
    ProblemDescription? Describe(Exception exception);
}
