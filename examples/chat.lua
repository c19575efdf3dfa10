-- Flet's chat tutorial, ported line by line: a join dialog, messages through page.pubsub to
-- every open tab, avatars colored by the user's name. Open it in several tabs.
local ft = require "flet"

local function Message(user_name, text, message_type)
  return {user_name = user_name, text = text, message_type = message_type}
end

local ChatMessage = ft.Row:extend("ChatMessage")

function ChatMessage:init(message)
  ft.Row.init(self)
  self.vertical_alignment = ft.CrossAxisAlignment.START
  self.controls = {
    ft.CircleAvatar{content = ft.Text(self:get_initials(message.user_name)),
                    color = ft.Colors.WHITE, bgcolor = self:get_avatar_color(message.user_name)},
    ft.Column({ft.Text(message.user_name, {weight = "bold"}),
               ft.Text(message.text, {selectable = true})}, {tight = true, spacing = 5}),
  }
end

function ChatMessage.get_initials(_, user_name)
  if user_name and user_name ~= "" then return user_name:sub(1, 1):upper() end
  return "Unknown"
end

function ChatMessage.get_avatar_color(_, user_name)
  local colors_lookup = {ft.Colors.AMBER, ft.Colors.BLUE, ft.Colors.BROWN, ft.Colors.CYAN,
    ft.Colors.GREEN, ft.Colors.INDIGO, ft.Colors.LIME, ft.Colors.ORANGE, ft.Colors.PINK,
    ft.Colors.PURPLE, ft.Colors.RED, ft.Colors.TEAL, ft.Colors.YELLOW}
  local hash = 0
  for i = 1, #user_name do hash = (hash * 31 + user_name:byte(i)) % 2147483647 end
  return colors_lookup[hash % #colors_lookup + 1]
end

ft.app(function(page)
  page.horizontal_alignment = ft.CrossAxisAlignment.STRETCH
  page.title = "Flet Chat"

  local join_user_name, new_message, chat

  local function join_chat_click()
    if not join_user_name.value or join_user_name.value == "" then
      join_user_name.error_text = "Name cannot be blank!"
      join_user_name:update()
    else
      page.session:set("user_name", join_user_name.value)
      page.dialog.open = false
      new_message.prefix = ft.Text(join_user_name.value .. ": ")
      page.pubsub:send_all(Message(join_user_name.value,
        join_user_name.value .. " has joined the chat.", "login_message"))
      page:update()
    end
  end

  local function send_message_click()
    if new_message.value and new_message.value ~= "" then
      page.pubsub:send_all(Message(page.session:get("user_name"), new_message.value,
        "chat_message"))
      new_message.value = ""
      new_message:focus()
      page:update()
    end
  end

  local function on_message(message)
    local m
    if message.message_type == "chat_message" then
      m = ChatMessage(message)
    elseif message.message_type == "login_message" then
      m = ft.Text(message.text, {italic = true, color = ft.Colors.BLACK45, size = 12})
    end
    chat.controls:append(m)
    page:update()
  end

  page.pubsub:subscribe(on_message)

  -- A dialog asking for a user display name
  join_user_name = ft.TextField{label = "Enter your name to join the chat", autofocus = true,
                                on_submit = join_chat_click}
  page.dialog = ft.AlertDialog{
    open = true,
    modal = true,
    title = ft.Text "Welcome!",
    content = ft.Column({join_user_name}, {width = 300, height = 70, tight = true}),
    actions = {ft.ElevatedButton{text = "Join chat", on_click = join_chat_click}},
    actions_alignment = ft.MainAxisAlignment.END,
  }

  -- Chat messages
  chat = ft.ListView{expand = true, spacing = 10, auto_scroll = true}

  -- A new message entry form
  new_message = ft.TextField{hint_text = "Write a message...", autofocus = true,
    shift_enter = true, min_lines = 1, max_lines = 5, filled = true, expand = true,
    on_submit = send_message_click}

  -- Add everything to the page
  page:add(
    ft.Container{content = chat, border = ft.border.all(1, ft.Colors.OUTLINE), border_radius = 5,
                 padding = 10, expand = true},
    ft.Row{{new_message, ft.IconButton{icon = ft.Icons.SEND_ROUNDED, tooltip = "Send message",
                                       on_click = send_message_click}}})
end)
