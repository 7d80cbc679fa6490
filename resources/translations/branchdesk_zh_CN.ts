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
        <location filename="../../ui/employee_dialog.py" line="117" />
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../../ui/employee_dialog.py" line="118" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../ui/employee_dialog.py" line="125" />
        <source>Employment history</source>
        <translation>任职记录</translation>
    </message>
    <message>
        <location filename="../../ui/employee_dialog.py" line="154" />
        <source>Only a manager can see or change this field</source>
        <translation>仅经理可查看或修改此项</translation>
    </message>
    <message>
        <location filename="../../ui/employee_dialog.py" line="159" />
        <source>Hired</source>
        <translation>入职</translation>
    </message>
    <message>
        <location filename="../../ui/employee_dialog.py" line="159" />
        <source>Left</source>
        <translation>离职</translation>
    </message>
    <message>
        <location filename="../../ui/employee_dialog.py" line="160" />
        <source>Rehired</source>
        <translation>复职</translation>
    </message>
    <message>
        <location filename="../../ui/employee_dialog.py" line="160" />
        <source>Transferred</source>
        <translation>调动</translation>
    </message>
    <message>
        <location filename="../../ui/employee_dialog.py" line="202" />
        <source>Born %1, %2</source>
        <translation>出生日期 %1，%2</translation>
    </message>
    <message>
        <location filename="../../ui/employee_dialog.py" line="257" />
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
        <location filename="../../ui/employee_dialog.py" line="264" />
        <source>Record leave: %1</source>
        <translation>办理离职：%1</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/main_window.py" line="44" />
        <source>BranchDesk — %1</source>
        <translation>BranchDesk 分支机构人事台 — %1</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="54" />
        <source>Employees</source>
        <translation>员工</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="68" />
        <source>Online</source>
        <translation>在线</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="68" />
        <source>Standalone</source>
        <translation>单机模式</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="69" />
        <source>Not enrolled with group HQ: changes are kept locally and will sync once enrolled</source>
        <translation>尚未接入集团总部：更改保存在本机，接入后自动同步</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="90" />
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="91" />
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="96" />
        <source>&amp;Employees</source>
        <translation>员工(&amp;E)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="101" />
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="102" />
        <location filename="../../ui/main_window.py" line="131" />
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="111" />
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="112" />
        <location filename="../../ui/main_window.py" line="138" />
        <source>About BranchDesk</source>
        <translation>关于 BranchDesk</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/main_window.py" line="125" />
        <source>%n change(s) waiting to sync</source>
        <translation><numerusform>%n 项更改待同步</numerusform></translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="132" />
        <source>The new language applies the next time BranchDesk starts.</source>
        <translation>新的语言将在下次启动 BranchDesk 时生效。</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="136" />
        <source>BranchDesk %1, the branch HR desk. Data folder: %2</source>
        <translation>BranchDesk %1，分支机构人事管理台。数据文件夹：%2</translation>
    </message>
</context>
<context>
    <name>RehireDialog</name>
    <message>
        <location filename="../../ui/employee_dialog.py" line="293" />
        <source>Rehire: %1</source>
        <translation>复职：%1</translation>
    </message>
</context>
<context>
    <name>Roles</name>
    <message>
        <location filename="../../ui/main_window.py" line="31" />
        <source>Clerk</source>
        <translation>人事专员</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="32" />
        <source>Manager</source>
        <translation>经理</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="33" />
        <source>Administrator</source>
        <translation>管理员</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <location filename="../../ui/signin.py" line="31" />
        <source>Sign in to BranchDesk</source>
        <translation>登录 BranchDesk</translation>
    </message>
    <message>
        <location filename="../../ui/signin.py" line="42" />
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location filename="../../ui/signin.py" line="43" />
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../ui/signin.py" line="45" />
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../../ui/signin.py" line="46" />
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location filename="../../ui/signin.py" line="52" />
        <source>Demo store. Sign in as &lt;b&gt;%1&lt;/b&gt; with password &lt;b&gt;%2&lt;/b&gt;</source>
        <translation>演示数据库。请使用用户名 &lt;b&gt;%1&lt;/b&gt;，密码 &lt;b&gt;%2&lt;/b&gt; 登录</translation>
    </message>
    <message>
        <location filename="../../ui/signin.py" line="81" />
        <source>Wrong user name or password</source>
        <translation>用户名或密码错误</translation>
    </message>
</context>
</TS>