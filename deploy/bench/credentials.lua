-- Shared by the wrk scripts: the bearer credentials (API keys, JWTs), one a line, from the file
-- named by $BENCH_CREDENTIALS (written by the benchmark, mode 600: never on a command line).
-- Without that variable, requests go without an Authorization header (the anonymous API of the
-- commit before issue 16). Each request takes the next credential, round robin; each wrk thread
-- starts at another place in the list.
return function(thread_id)
  local path = os.getenv("BENCH_CREDENTIALS")
  if path == nil or path == "" then
    return function() end
  end
  local credentials = {}
  for line in io.lines(path) do
    if line ~= "" then table.insert(credentials, "Bearer " .. line) end
  end
  assert(#credentials > 0, "no credentials in $BENCH_CREDENTIALS")
  local next_index = ((thread_id or 1) * 7) % #credentials
  return function()
    next_index = next_index % #credentials + 1
    wrk.headers["Authorization"] = credentials[next_index]
  end
end
