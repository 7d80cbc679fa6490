<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>App</name>
    <message>
        <location filename="../../ui/app.py" line="69" />
        <source>This data folder has no branch yet. Set it up with:
%1
or try the demo: branchdesk --demo</source>
        <translation>此数据文件夹尚未设置分支机构。请运行：
%1
或试用演示：branchdesk --demo</translation>
    </message>
</context>
<context>
    <name>AuditPage</name>
    <message>
        <location filename="../../ui/audit_page.py" line="145" />
        <source>Verify audit chain</source>
        <translation>校验审计链</translation>
    </message>
    <message>
        <location filename="../../ui/audit_page.py" line="147" />
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../../ui/audit_page.py" line="168" />
        <source>Checking…</source>
        <translation>正在校验…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/audit_page.py" line="179" />
        <source>Audit chain intact: %n entries</source>
        <translation><numerusform>审计链完整：共 %n 条记录</numerusform></translation>
    </message>
    <message>
        <location filename="../../ui/audit_page.py" line="182" />
        <source>Broken at entry %1: %2</source>
        <translation>第 %1 条记录校验失败：%2</translation>
    </message>
</context>
<context>
    <name>AuditTableModel</name>
    <message>
        <location filename="../../ui/audit_page.py" line="34" />
        <source>Created</source>
        <translation>新建</translation>
    </message>
    <message>
        <location filename="../../ui/audit_page.py" line="35" />
        <source>Changed</source>
        <translation>修改</translation>
    </message>
    <message>
        <location filename="../../ui/audit_page.py" line="36" />
        <source>Leave</source>
        <translation>离职</translation>
    </message>
    <message>
        <location filename="../../ui/audit_page.py" line="37" />
        <source>Rehire</source>
        <translation>复职</translation>
    </message>
    <message>
        <location filename="../../ui/audit_page.py" line="38" />
        <source>Deleted</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../../ui/audit_page.py" line="41" />
        <source>Employee</source>
        <translation>员工</translation>
    </message>
    <message>
        <location filename="../../ui/audit_page.py" line="42" />
        <source>Employment history</source>
        <translation>任职记录</translation>
    </message>
    <message>
        <location filename="../../ui/audit_page.py" line="43" />
        <location filename="../../ui/audit_page.py" line="50" />
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <location filename="../../ui/audit_page.py" line="44" />
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <location filename="../../ui/audit_page.py" line="45" />
        <source>Branch</source>
        <translation>分支机构</translation>
    </message>
    <message>
        <location filename="../../ui/audit_page.py" line="48" />
        <source>No.</source>
        <translation>工号</translation>
    </message>
    <message>
        <location filename="../../ui/audit_page.py" line="49" />
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../ui/audit_page.py" line="51" />
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <location filename="../../ui/audit_page.py" line="52" />
        <source>Record</source>
        <translation>对象</translation>
    </message>
    <message>
        <location filename="../../ui/audit_page.py" line="53" />
        <source>What changed</source>
        <translation>变更内容</translation>
    </message>
</context>
<context>
    <name>EmployeeDialog</name>
    <message>
        <location filename="../../ui/employee_dialog.py" line="70" />
        <source>Edit employee</source>
        <translation>编辑员工</translation>
    </message>
    <message>
        <location filename="../../ui/employee_dialog.py" line="70" />
        <source>Hire employee</source>
        <translation>新员工入职</translation>
    </message>
    <message>
        <location filename="../../ui/employee_dialog.py" line="118" />
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../../ui/employee_dialog.py" line="119" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../ui/employee_dialog.py" line="126" />
        <source>Employment history</source>
        <translation>任职记录</translation>
    </message>
    <message>
        <location filename="../../ui/employee_dialog.py" line="155" />
        <source>Only a manager can see or change this field</source>
        <translation>仅经理可查看或修改此项</translation>
    </message>
    <message>
        <location filename="../../ui/employee_dialog.py" line="160" />
        <source>Hired</source>
        <translation>入职</translation>
    </message>
    <message>
        <location filename="../../ui/employee_dialog.py" line="160" />
        <source>Left</source>
        <translation>离职</translation>
    </message>
    <message>
        <location filename="../../ui/employee_dialog.py" line="161" />
        <source>Rehired</source>
        <translation>复职</translation>
    </message>
    <message>
        <location filename="../../ui/employee_dialog.py" line="161" />
        <source>Transferred</source>
        <translation>调动</translation>
    </message>
    <message>
        <location filename="../../ui/employee_dialog.py" line="205" />
        <source>Born %1, %2</source>
        <translation>出生日期 %1，%2</translation>
    </message>
    <message>
        <location filename="../../ui/employee_dialog.py" line="260" />
        <source>Could not save: %1</source>
        <translation>无法保存：%1</translation>
    </message>
</context>
<context>
    <name>EmployeeTableModel</name>
    <message>
        <location filename="../../ui/employee_model.py" line="22" />
        <source>Active</source>
        <translation>在职</translation>
    </message>
    <message>
        <location filename="../../ui/employee_model.py" line="23" />
        <source>Left</source>
        <translation>离职</translation>
    </message>
    <message>
        <location filename="../../ui/employee_model.py" line="24" />
        <source>Transferred</source>
        <translation>调动</translation>
    </message>
    <message>
        <location filename="../../ui/employee_model.py" line="29" />
        <source>Male</source>
        <translation>男</translation>
    </message>
    <message>
        <location filename="../../ui/employee_model.py" line="30" />
        <source>Female</source>
        <translation>女</translation>
    </message>
    <message>
        <location filename="../../ui/employee_model.py" line="36" />
        <source>No.</source>
        <translation>工号</translation>
    </message>
    <message>
        <location filename="../../ui/employee_model.py" line="37" />
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../ui/employee_model.py" line="38" />
        <source>Gender</source>
        <translation>性别</translation>
    </message>
    <message>
        <location filename="../../ui/employee_model.py" line="39" />
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <location filename="../../ui/employee_model.py" line="40" />
        <source>Position</source>
        <translation>职位</translation>
    </message>
    <message>
        <location filename="../../ui/employee_model.py" line="41" />
        <source>Phone</source>
        <translation>手机</translation>
    </message>
    <message>
        <location filename="../../ui/employee_model.py" line="42" />
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <location filename="../../ui/employee_model.py" line="43" />
        <source>Hire date</source>
        <translation>入职日期</translation>
    </message>
    <message>
        <location filename="../../ui/employee_model.py" line="44" />
        <source>Base salary</source>
        <translation>基本工资</translation>
    </message>
    <message>
        <location filename="../../ui/employee_model.py" line="45" />
        <source>Status</source>
        <translation>状态</translation>
    </message>
</context>
<context>
    <name>EmployeesPage</name>
    <message>
        <location filename="../../ui/employees_page.py" line="48" />
        <source>Search name, number or phone</source>
        <translation>搜索姓名、工号或手机号</translation>
    </message>
    <message>
        <location filename="../../ui/employees_page.py" line="51" />
        <source>All departments</source>
        <translation>全部部门</translation>
    </message>
    <message>
        <location filename="../../ui/employees_page.py" line="53" />
        <source>All statuses</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <location filename="../../ui/employees_page.py" line="53" />
        <source>Active</source>
        <translation>在职</translation>
    </message>
    <message>
        <location filename="../../ui/employees_page.py" line="54" />
        <source>Left</source>
        <translation>离职</translation>
    </message>
    <message>
        <location filename="../../ui/employees_page.py" line="54" />
        <source>Transferred</source>
        <translation>调动</translation>
    </message>
    <message>
        <location filename="../../ui/employees_page.py" line="59" />
        <source>Hire</source>
        <translation>入职</translation>
    </message>
    <message>
        <location filename="../../ui/employees_page.py" line="61" />
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <location filename="../../ui/employees_page.py" line="62" />
        <source>Record leave</source>
        <translation>办理离职</translation>
    </message>
    <message>
        <location filename="../../ui/employees_page.py" line="63" />
        <source>Rehire</source>
        <translation>复职</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/employees_page.py" line="149" />
        <source>%n employee(s)</source>
        <translation><numerusform>共 %n 名员工</numerusform></translation>
    </message>
    <message>
        <location filename="../../ui/employees_page.py" line="237" />
        <source>BranchDesk</source>
        <translation>BranchDesk</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <location filename="../../desktop/messages.py" line="29" />
        <source>must be 18 characters, got {length}</source>
        <translation>应为 18 位，当前 {length} 位</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="30" />
        <source>must be 17 digits followed by a digit or X</source>
        <translation>应为 17 位数字加 1 位数字或 X</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="31" />
        <source>birth date {digits} is not a real date</source>
        <translation>出生日期 {digits} 不是有效日期</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="32" />
        <source>birth date {date} is out of range</source>
        <translation>出生日期 {date} 超出合理范围</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="33" />
        <source>checksum digit is {got}, expected {expected}</source>
        <translation>校验位为 {got}，应为 {expected}</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="36" />
        <source>must be a date like 2024-03-01</source>
        <translation>应为日期，例如 2024-03-01</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="37" />
        <source>is required: up to 32 letters, digits or '-'</source>
        <translation>必填：最多 32 位字母、数字或“-”</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="38" />
        <location filename="../../desktop/messages.py" line="43" />
        <source>is required (at most 64 characters)</source>
        <translation>必填（最多 64 个字符）</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="39" />
        <source>must be M or F</source>
        <translation>应为 M（男）或 F（女）</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="40" />
        <source>does not match the ID number</source>
        <translation>与身份证号不符</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="41" />
        <source>must be an 11-digit mobile or an area-code landline</source>
        <translation>应为 11 位手机号或带区号的座机号</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="42" />
        <source>unknown department {value!r}</source>
        <translation>未知部门 {value!r}</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="44" />
        <source>is more than 180 days ahead</source>
        <translation>不能晚于今天 180 天以上</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="45" />
        <source>must be an amount like 6500.00</source>
        <translation>应为金额，例如 6500.00</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="46" />
        <source>must be more than 0 and at most 1,000,000</source>
        <translation>应大于 0 且不超过 1,000,000</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="47" />
        <source>has more than 2 decimal places</source>
        <translation>最多保留 2 位小数</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="48" />
        <source>must be 12 to 30 digits</source>
        <translation>应为 12 至 30 位数字</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="49" />
        <source>employee would be {age} at hire: under 16</source>
        <translation>入职时年龄为 {age} 岁，未满 16 周岁</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="50" />
        <source>{value} is already used</source>
        <translation>{value} 已被使用</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="51" />
        <source>{value} repeats row {row}</source>
        <translation>{value} 与第 {row} 行重复</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="52" />
        <source>only a manager can change this field</source>
        <translation>仅经理可修改此项</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="55" />
        <source>is required (at most 200 characters)</source>
        <translation>必填（最多 200 个字符）</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="56" />
        <source>{number} is {status}, not active</source>
        <translation>{number} 当前状态为 {status}，不是在职</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="57" />
        <source>{number} is {status}; only someone who left can be rehired</source>
        <translation>{number} 当前状态为 {status}；只有已离职员工可以复职</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="58" />
        <source>is before the hire date {date}</source>
        <translation>早于入职日期 {date}</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="59" />
        <source>is before the leave date {date}</source>
        <translation>早于离职日期 {date}</translation>
    </message>
</context>
<context>
    <name>Fields</name>
    <message>
        <location filename="../../ui/messages.py" line="14" />
        <source>Employee No.</source>
        <translation>工号</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="14" />
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="14" />
        <source>Gender</source>
        <translation>性别</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="15" />
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="15" />
        <source>Phone</source>
        <translation>手机</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="15" />
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="16" />
        <source>Position</source>
        <translation>职位</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="16" />
        <source>Hire date</source>
        <translation>入职日期</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="17" />
        <source>Base salary</source>
        <translation>基本工资</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="17" />
        <source>Bank account</source>
        <translation>银行账号</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="18" />
        <source>Leave date</source>
        <translation>离职日期</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="18" />
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="18" />
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="19" />
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="19" />
        <source>Password</source>
        <translation>密码</translation>
    </message>
</context>
<context>
    <name>LeaveDialog</name>
    <message>
        <location filename="../../ui/employee_dialog.py" line="267" />
        <source>Record leave: %1</source>
        <translation>办理离职：%1</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/main_window.py" line="46" />
        <source>BranchDesk — %1</source>
        <translation>BranchDesk 分支机构人事台 — %1</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="57" />
        <source>Employees</source>
        <translation>员工</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="61" />
        <source>Audit log</source>
        <translation>审计日志</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="81" />
        <source>Online</source>
        <translation>在线</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="81" />
        <source>Standalone</source>
        <translation>单机模式</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="82" />
        <source>Not enrolled with group HQ: changes are kept locally and will sync once enrolled</source>
        <translation>尚未接入集团总部：更改保存在本机，接入后自动同步</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="109" />
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="110" />
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="115" />
        <source>&amp;Employees</source>
        <translation>员工(&amp;E)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="120" />
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="121" />
        <location filename="../../ui/main_window.py" line="150" />
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="130" />
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="131" />
        <location filename="../../ui/main_window.py" line="157" />
        <source>About BranchDesk</source>
        <translation>关于 BranchDesk</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/main_window.py" line="144" />
        <source>%n change(s) waiting to sync</source>
        <translation><numerusform>%n 项更改待同步</numerusform></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="151" />
        <source>The new language applies the next time BranchDesk starts.</source>
        <translation>新的语言将在下次启动 BranchDesk 时生效。</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="155" />
        <source>BranchDesk %1, the branch HR desk. Data folder: %2</source>
        <translation>BranchDesk %1，分支机构人事管理台。数据文件夹：%2</translation>
    </message>
</context>
<context>
    <name>RehireDialog</name>
    <message>
        <location filename="../../ui/employee_dialog.py" line="296" />
        <source>Rehire: %1</source>
        <translation>复职：%1</translation>
    </message>
</context>
<context>
    <name>Roles</name>
    <message>
        <location filename="../../ui/main_window.py" line="33" />
        <source>Clerk</source>
        <translation>人事专员</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="34" />
        <source>Manager</source>
        <translation>经理</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="35" />
        <source>Administrator</source>
        <translation>管理员</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <location filename="../../ui/signin.py" line="33" />
        <source>Sign in to BranchDesk</source>
        <translation>登录 BranchDesk</translation>
    </message>
    <message>
        <location filename="../../ui/signin.py" line="50" />
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location filename="../../ui/signin.py" line="51" />
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../ui/signin.py" line="53" />
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../../ui/signin.py" line="54" />
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location filename="../../ui/signin.py" line="60" />
        <source>Demo store. Sign in as &lt;b&gt;%1&lt;/b&gt; with password &lt;b&gt;%2&lt;/b&gt;</source>
        <translation>演示数据库。请使用用户名 &lt;b&gt;%1&lt;/b&gt;，密码 &lt;b&gt;%2&lt;/b&gt; 登录</translation>
    </message>
    <message>
        <location filename="../../ui/signin.py" line="89" />
        <source>Wrong user name or password</source>
        <translation>用户名或密码错误</translation>
    </message>
</context>
</TS>