-- wrk script: durable POST /v2/rooms/{id}/messages with a ~120-byte Japanese body.
-- Environment: KAIWA_TOKEN, KAIWA_ROOM.
local token = os.getenv("KAIWA_TOKEN")
local room = os.getenv("KAIWA_ROOM")
local counter = 0

local function urlencode(text)
  return (text:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

request = function()
  counter = counter + 1
  local body = "body=" .. urlencode("[To:2] 明日の会議の資料を共有します。確認をお願いします。 #" .. counter)
  return wrk.format("POST", "/v2/rooms/" .. room .. "/messages", {
    ["X-ChatWorkToken"] = token,
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, body)
end

response = function(status, headers, body)
  if status ~= 200 then
    error("unexpected status " .. status .. ": " .. body)
  end
end
