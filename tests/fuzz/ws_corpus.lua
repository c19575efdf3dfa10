-- Writes the seed corpus of the WebSocket fuzz target into tests/fuzz/corpus/ws/, in the
-- record format that tests/fuzz/fuzz_ws.c reads: `lua5.4 tests/fuzz/ws_corpus.lua`. Each seed
-- is a client doing one thing a client may do, right or wrong.
local FLUSH, SPLIT = 0x02, 0x04
local TEXT, BINARY, CONT, CLOSE, PING, PONG = 1, 2, 0, 8, 9, 10

-- One frame record. f: op, payload (""), fin (true), rsv (0), mask (true), len (the length
-- the header announces; #payload), form (7, 16 or 64: the length's encoding; the shortest),
-- ctl (0, or FLUSH and SPLIT).
local function frame(f)
  local payload = f.payload or ""
  local n = f.len or #payload
  local b0 = (f.fin == false and 0 or 0x80) | (f.rsv or 0) << 4 | f.op
  local b1 = f.mask == false and 0 or 0x80
  local form = f.form or (n < 126 and 7 or n < 65536 and 16 or 64)
  local ext = ""
  if form == 7 then
    b1 = b1 | n
  elseif form == 16 then
    b1, ext = b1 | 126, string.pack(">I2", n)
  else
    b1, ext = b1 | 127, string.pack(">I8", n)
  end
  return string.char(f.ctl or 0, b0, b1) .. ext .. payload
end

local function text(s, ctl) return frame{op = TEXT, payload = s, ctl = ctl} end

-- Bytes written as they are, in raw records of up to 127 bytes.
local function raw(bytes)
  local out = {}
  for i = 1, #bytes, 127 do
    local piece = bytes:sub(i, i + 126)
    out[#out + 1] = string.char(0x80 | #piece) .. piece
  end
  return table.concat(out)
end

local function close(code, reason)
  return frame{op = CLOSE, payload = code and string.pack(">I2", code) .. (reason or "") or ""}
end

local register = '{"t":"register","width":800,"height":600}'
local click = '{"t":"event","id":2,"name":"click","data":""}'
local change = '{"t":"event","id":3,"name":"change","data":"h\xc3\xa9llo"}'
local fits = '{"t":"event","id":3,"name":"change","data":"' .. string.rep("w", 1024 - 46) .. '"}'
assert(#fits == 1024)

local seeds = {
  register_click_close = text(register, FLUSH) .. text(click) .. text(change) ..
    text('{"t":"ack","seq":1}') .. close(1000, "bye"),
  -- A message in three fragments, each read on its own, with a ping between them.
  fragments = frame{op = TEXT, fin = false, payload = register:sub(1, 10), ctl = FLUSH} ..
    frame{op = PING, payload = "p", ctl = FLUSH} ..
    frame{op = CONT, fin = false, payload = register:sub(11, 30), ctl = FLUSH} ..
    frame{op = CONT, payload = register:sub(31)} .. text(click),
  -- A frame that reaches the server in two reads.
  split = frame{op = TEXT, payload = register, ctl = SPLIT} .. text(change, SPLIT),
  length_forms = frame{op = TEXT, payload = register, form = 16} ..
    frame{op = TEXT, payload = click, form = 64},
  ping_pong = frame{op = PING, payload = "are you there"} .. frame{op = PONG, payload = "x"} ..
    text(register) .. frame{op = PING},
  binary = text(register) .. frame{op = BINARY, payload = "\0\1\2"},
  -- The error reply to the first message must not follow the close frame for the second,
  -- one that ws.c refuses or one that lws's parser does, though the client writes on after
  -- it and so gives the server another turn to write.
  reply_then_refusal = text("not json") .. frame{op = BINARY, payload = "b", ctl = FLUSH} ..
    frame{op = PING, payload = "x"},
  reply_then_bad_frame = text("not json") .. frame{op = TEXT, payload = "{}", rsv = 2, ctl = FLUSH} ..
    frame{op = PING, payload = "x"},
  -- After the host's close frame for a refusal, a frame lws refuses (a fragmented control
  -- frame) must not bring a second close frame.
  refusal_then_bad_frame = text("not json") .. frame{op = BINARY, payload = "b", ctl = FLUSH} ..
    raw("\x1f\x81\x78"),
  binary_fragments = frame{op = BINARY, fin = false, payload = "ab"} .. frame{op = CONT, payload = "c"},
  not_utf8 = text(register) .. text('{"t":"event","id":3,"name":"change","data":"\xff\xfe"}'),
  not_utf8_across_fragments = frame{op = TEXT, fin = false, payload = '"\xe2\x82'} ..
    frame{op = CONT, payload = '\xac"'} .. frame{op = TEXT, fin = false, payload = '"\xe2'} ..
    frame{op = CONT, payload = '("'},
  too_large = text(register) .. text('"' .. string.rep("x", 1100) .. '"'),
  too_large_fragments = frame{op = TEXT, fin = false, payload = string.rep("y", 600), ctl = FLUSH} ..
    frame{op = CONT, payload = string.rep("z", 600)},
  -- 1024 bytes, the limit, in one frame and in two.
  just_fits = text(fits) .. frame{op = TEXT, fin = false, payload = fits:sub(1, 500)} ..
    frame{op = CONT, payload = fits:sub(501)},
  unmasked = frame{op = TEXT, payload = register, mask = false},
  rsv_bits = frame{op = TEXT, payload = register, rsv = 4},
  reserved_opcode = frame{op = 3, payload = "?"} .. frame{op = 0xb},
  continuation_first = frame{op = CONT, payload = register},
  text_inside_fragments = frame{op = TEXT, fin = false, payload = "{"} .. text(register),
  fragmented_ping = frame{op = PING, fin = false, payload = "p"} .. frame{op = CONT, payload = "q"},
  long_ping = frame{op = PING, payload = string.rep("p", 126)},
  close_codes = close(1005),
  close_code_too_big = close(5000),
  close_code_low = close(999),
  close_one_byte = frame{op = CLOSE, payload = "\3"},
  close_bad_reason = close(1000, "\xc3("),
  close_reason_cut_short = close(1000, "*\xc3"),
  -- A close frame between the fragments of a message, its reason ending the character the
  -- fragment began: valid only if read on from the message.
  close_reason_continues_message = frame{op = TEXT, fin = false, payload = '"\xe2\x82'} ..
    close(1000, "\xac"),
  close_then_more = close(1001) .. text(click),
  -- Over the rate: 20 messages pass at once, 200 more are dropped, and the next closes it.
  over_rate = text(register) .. string.rep(text("{}"), 230),
  truncated_payload = frame{op = TEXT, payload = register, len = 4000},
  huge_length = frame{op = TEXT, payload = "x", len = 0x7fffffffffffffff, form = 64},
  length_top_bit = frame{op = TEXT, payload = "x", len = -1, form = 64},
  raw_garbage = raw("\0\0\0\0\xff\xff\r\n\r\nGET / HTTP/1.1\r\n\r\n"),
  empty_messages = text("") .. frame{op = TEXT, fin = false} .. frame{op = CONT},
}

local dir = "tests/fuzz/corpus/ws/"
assert(os.execute("mkdir -p " .. dir))
for name, bytes in pairs(seeds) do
  local f = assert(io.open(dir .. name, "wb"))
  f:write(bytes)
  f:close()
end
