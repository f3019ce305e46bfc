using Footage.Evidence;
using Footage.Verify;

// Verifies a downloaded evidence package offline: dotnet run --project tools/Footage.Verify -- evidence.zip [--public-key key.pem]
// Exit code 0: verified; 1: it does not verify (each mismatch is printed with its file); 2: wrong usage or not a zip.
return await VerifyCommand.RunAsync(args, Console.Out, Console.Error, CancellationToken.None);
