-- Flet's To-Do tutorial, ported line by line: a Task and the TodoApp are subclasses of
-- ft.Column, with their own fields on the server and before_update() filtering the list.
local ft = require "flet"

local Task = ft.Column:extend("Task")

function Task:init(task_name, task_status_change, task_delete)
  ft.Column.init(self)
  self.completed = false
  self.task_name = task_name
  self.task_status_change = task_status_change
  self.task_delete = task_delete
  self.display_task = ft.Checkbox{value = false, label = self.task_name,
                                  on_change = function(e) self:status_changed(e) end}
  self.edit_name = ft.TextField{expand = 1}

  self.display_view = ft.Row{
    alignment = ft.MainAxisAlignment.SPACE_BETWEEN,
    vertical_alignment = ft.CrossAxisAlignment.CENTER,
    controls = {
      self.display_task,
      ft.Row{spacing = 0, controls = {
        ft.IconButton{icon = ft.Icons.CREATE_OUTLINED, tooltip = "Edit To-Do",
                      on_click = function(e) self:edit_clicked(e) end},
        ft.IconButton{ft.Icons.DELETE_OUTLINE, tooltip = "Delete To-Do",
                      on_click = function(e) self:delete_clicked(e) end},
      }},
    },
  }

  self.edit_view = ft.Row{
    visible = false,
    alignment = ft.MainAxisAlignment.SPACE_BETWEEN,
    vertical_alignment = ft.CrossAxisAlignment.CENTER,
    controls = {
      self.edit_name,
      ft.IconButton{icon = ft.Icons.DONE_OUTLINE_OUTLINED, icon_color = ft.Colors.GREEN,
                    tooltip = "Update To-Do", on_click = function(e) self:save_clicked(e) end},
    },
  }
  self.controls = {self.display_view, self.edit_view}
end

function Task:edit_clicked()
  self.edit_name.value = self.display_task.label
  self.display_view.visible = false
  self.edit_view.visible = true
  self:update()
end

function Task:save_clicked()
  self.display_task.label = self.edit_name.value
  self.display_view.visible = true
  self.edit_view.visible = false
  self:update()
end

function Task:status_changed()
  self.completed = self.display_task.value
  self.task_status_change(self)
end

function Task:delete_clicked()
  self.task_delete(self)
end

local TodoApp = ft.Column:extend("TodoApp")

function TodoApp:init()
  ft.Column.init(self)
  self.new_task = ft.TextField{hint_text = "What needs to be done?", expand = true,
                               on_submit = function(e) self:add_clicked(e) end}
  self.tasks = ft.Column{}
  self.filter = ft.Tabs{
    scrollable = false,
    selected_index = 0,
    on_change = function(e) self:tabs_changed(e) end,
    tabs = {ft.Tab{text = "all"}, ft.Tab{text = "active"}, ft.Tab{text = "completed"}},
  }
  self.items_left = ft.Text "0 items left"
  self.width = 600
  self.controls = {
    ft.Row{{ft.Text{value = "Todos", theme_style = ft.TextThemeStyle.HEADLINE_MEDIUM}},
           alignment = ft.MainAxisAlignment.CENTER},
    ft.Row{controls = {
      self.new_task,
      ft.FloatingActionButton{icon = ft.Icons.ADD, on_click = function(e) self:add_clicked(e) end},
    }},
    ft.Column{spacing = 25, controls = {
      self.filter,
      self.tasks,
      ft.Row{
        alignment = ft.MainAxisAlignment.SPACE_BETWEEN,
        vertical_alignment = ft.CrossAxisAlignment.CENTER,
        controls = {
          self.items_left,
          ft.OutlinedButton{text = "Clear completed", on_click = function(e) self:clear_clicked(e) end},
        },
      },
    }},
  }
end

function TodoApp:add_clicked()
  if self.new_task.value and self.new_task.value ~= "" then
    local task = Task(self.new_task.value,
      function(t) self:task_status_change(t) end,
      function(t) self:task_delete(t) end)
    self.tasks.controls:append(task)
    self.new_task.value = ""
    self.new_task:focus()
    self:update()
  end
end

function TodoApp:task_status_change()
  self:update()
end

function TodoApp:task_delete(task)
  self.tasks.controls:remove(task)
  self:update()
end

function TodoApp:tabs_changed()
  self:update()
end

function TodoApp:clear_clicked()
  local all = {}
  for _, task in ipairs(self.tasks.controls) do all[#all + 1] = task end
  for _, task in ipairs(all) do
    if task.completed then self:task_delete(task) end
  end
end

function TodoApp:before_update()
  local status = self.filter.tabs[self.filter.selected_index + 1].text
  local count = 0
  for _, task in ipairs(self.tasks.controls) do
    task.visible = status == "all" or (status == "active" and not task.completed)
      or (status == "completed" and task.completed)
    if not task.completed then count = count + 1 end
  end
  self.items_left.value = ("%d active item(s) left"):format(count)
end

ft.app(function(page)
  page.title = "To-Do App"
  page.horizontal_alignment = ft.CrossAxisAlignment.CENTER
  page.scroll = ft.ScrollMode.ADAPTIVE
  page:add(TodoApp())
end)
