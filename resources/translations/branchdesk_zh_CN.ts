<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AddUserDialog</name>
    <message>
        <location filename="../../ui/users_page.py" line="270"/>
        <source>Add user</source>
        <translation>添加用户</translation>
    </message>
    <message>
        <location filename="../../ui/users_page.py" line="274"/>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location filename="../../ui/users_page.py" line="275"/>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <location filename="../../ui/users_page.py" line="276"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../ui/users_page.py" line="277"/>
        <source>Password again</source>
        <translation>再次输入密码</translation>
    </message>
    <message>
        <location filename="../../ui/users_page.py" line="278"/>
        <source>A password has at least %1 characters.</source>
        <translation>密码至少 %1 个字符。</translation>
    </message>
    <message>
        <location filename="../../ui/users_page.py" line="280"/>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <location filename="../../ui/users_page.py" line="280"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../ui/users_page.py" line="285"/>
        <source>Does not match the password</source>
        <translation>两次输入的密码不一致</translation>
    </message>
</context>
<context>
    <name>AuditPage</name>
    <message>
        <location filename="../../ui/audit_page.py" line="203"/>
        <source>Verify audit chain</source>
        <translation>校验审计链</translation>
    </message>
    <message>
        <location filename="../../ui/audit_page.py" line="205"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../../ui/audit_page.py" line="226"/>
        <source>Checking…</source>
        <translation>正在校验…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/audit_page.py" line="237"/>
        <source>Audit chain intact: %n entries</source>
        <translation>
            <numerusform>审计链完整：共 %n 条记录</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/audit_page.py" line="240"/>
        <source>Broken at entry %1: %2</source>
        <translation>第 %1 条记录校验失败：%2</translation>
    </message>
</context>
<context>
    <name>AuditTableModel</name>
    <message>
        <location filename="../../ui/audit_page.py" line="35"/>
        <source>Created</source>
        <translation>新建</translation>
    </message>
    <message>
        <location filename="../../ui/audit_page.py" line="36"/>
        <source>Changed</source>
        <translation>修改</translation>
    </message>
    <message>
        <location filename="../../ui/audit_page.py" line="37"/>
        <source>Leave</source>
        <translation>离职</translation>
    </message>
    <message>
        <location filename="../../ui/audit_page.py" line="38"/>
        <source>Rehire</source>
        <translation>复职</translation>
    </message>
    <message>
        <location filename="../../ui/audit_page.py" line="39"/>
        <source>Deleted</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../../ui/audit_page.py" line="40"/>
        <source>Received from HQ</source>
        <translation>从总部接收</translation>
    </message>
    <message>
        <location filename="../../ui/audit_page.py" line="41"/>
        <source>Linked to HQ</source>
        <translation>并入总部</translation>
    </message>
    <message>
        <location filename="../../ui/audit_page.py" line="42"/>
        <source>Password changed</source>
        <translation>密码已修改</translation>
    </message>
    <message>
        <location filename="../../ui/audit_page.py" line="43"/>
        <source>Password reset</source>
        <translation>密码已重置</translation>
    </message>
    <message>
        <location filename="../../ui/audit_page.py" line="46"/>
        <source>Employee</source>
        <translation>员工</translation>
    </message>
    <message>
        <location filename="../../ui/audit_page.py" line="47"/>
        <source>Employment history</source>
        <translation>任职记录</translation>
    </message>
    <message>
        <location filename="../../ui/audit_page.py" line="48"/>
        <location filename="../../ui/audit_page.py" line="55"/>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <location filename="../../ui/audit_page.py" line="49"/>
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <location filename="../../ui/audit_page.py" line="50"/>
        <source>Branch</source>
        <translation>分支机构</translation>
    </message>
    <message>
        <location filename="../../ui/audit_page.py" line="53"/>
        <source>Entry</source>
        <translation>序号</translation>
    </message>
    <message>
        <location filename="../../ui/audit_page.py" line="68"/>
        <source>Hired</source>
        <translation>入职</translation>
    </message>
    <message>
        <location filename="../../ui/audit_page.py" line="69"/>
        <source>Left</source>
        <translation>离职</translation>
    </message>
    <message>
        <location filename="../../ui/audit_page.py" line="70"/>
        <source>Rehired</source>
        <translation>复职</translation>
    </message>
    <message>
        <location filename="../../ui/audit_page.py" line="71"/>
        <source>Transferred</source>
        <translation>调动</translation>
    </message>
    <message>
        <location filename="../../ui/audit_page.py" line="104"/>
        <source>%n record(s)</source>
        <translation>%n 条记录</translation>
    </message>
    <message>
        <location filename="../../ui/audit_page.py" line="54"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../ui/audit_page.py" line="56"/>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <location filename="../../ui/audit_page.py" line="57"/>
        <source>Record</source>
        <translation>对象</translation>
    </message>
    <message>
        <location filename="../../ui/audit_page.py" line="58"/>
        <source>What changed</source>
        <translation>变更内容</translation>
    </message>
</context>
<context>
    <name>ChangePasswordDialog</name>
    <message>
        <location filename="../../ui/password_dialog.py" line="57"/>
        <source>Change password</source>
        <translation>修改密码</translation>
    </message>
    <message>
        <location filename="../../ui/password_dialog.py" line="58"/>
        <source>Signed in as %1. A password has at least %2 characters.</source>
        <translation>当前登录用户：%1。密码至少 %2 个字符。</translation>
    </message>
    <message>
        <location filename="../../ui/password_dialog.py" line="61"/>
        <source>Current password</source>
        <translation>当前密码</translation>
    </message>
    <message>
        <location filename="../../ui/password_dialog.py" line="62"/>
        <source>New password</source>
        <translation>新密码</translation>
    </message>
    <message>
        <location filename="../../ui/password_dialog.py" line="62"/>
        <source>New password again</source>
        <translation>确认新密码</translation>
    </message>
</context>
<context>
    <name>DepartmentEditDialog</name>
    <message>
        <location filename="../../ui/departments_dialog.py" line="213"/>
        <source>Rename department</source>
        <translation>重命名部门</translation>
    </message>
    <message>
        <location filename="../../ui/departments_dialog.py" line="214"/>
        <source>Add department</source>
        <translation>添加部门</translation>
    </message>
    <message>
        <location filename="../../ui/departments_dialog.py" line="221"/>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <location filename="../../ui/departments_dialog.py" line="222"/>
        <source>Department name</source>
        <translation>部门名称</translation>
    </message>
    <message>
        <location filename="../../ui/departments_dialog.py" line="226"/>
        <source>The code stays: imports and other systems use it</source>
        <translation>编码不可更改：导入和其他系统都依赖它</translation>
    </message>
    <message>
        <location filename="../../ui/departments_dialog.py" line="230"/>
        <source>Code: letters, digits, &apos;-&apos; or &apos;_&apos; (for example legal); it cannot be changed later.</source>
        <translation>编码：字母、数字、“-”或“_”（例如 legal），创建后不可更改。</translation>
    </message>
</context>
<context>
    <name>DepartmentsDialog</name>
    <message>
        <location filename="../../ui/departments_dialog.py" line="44"/>
        <location filename="../../ui/departments_dialog.py" line="198"/>
        <source>Departments</source>
        <translation>部门</translation>
    </message>
    <message>
        <location filename="../../ui/departments_dialog.py" line="49"/>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <location filename="../../ui/departments_dialog.py" line="49"/>
        <source>Department name</source>
        <translation>部门名称</translation>
    </message>
    <message>
        <location filename="../../ui/departments_dialog.py" line="49"/>
        <source>Scope</source>
        <translation>归属</translation>
    </message>
    <message>
        <location filename="../../ui/departments_dialog.py" line="49"/>
        <source>Staff</source>
        <translation>人数</translation>
    </message>
    <message>
        <location filename="../../ui/departments_dialog.py" line="62"/>
        <source>Add…</source>
        <translation>添加…</translation>
    </message>
    <message>
        <location filename="../../ui/departments_dialog.py" line="63"/>
        <source>Rename…</source>
        <translation>重命名…</translation>
    </message>
    <message>
        <location filename="../../ui/departments_dialog.py" line="64"/>
        <location filename="../../ui/departments_dialog.py" line="179"/>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../../ui/departments_dialog.py" line="72"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../ui/departments_dialog.py" line="103"/>
        <source>Group standard</source>
        <translation>集团标准</translation>
    </message>
    <message>
        <location filename="../../ui/departments_dialog.py" line="103"/>
        <source>This branch</source>
        <translation>本分支机构</translation>
    </message>
    <message>
        <location filename="../../ui/departments_dialog.py" line="112"/>
        <source>Standard departments are set by group HQ and cannot be renamed or deleted here</source>
        <translation>标准部门由集团总部设定，不能在此重命名或删除</translation>
    </message>
    <message>
        <location filename="../../ui/departments_dialog.py" line="143"/>
        <source>Only a manager can add, rename or delete departments.</source>
        <translation>仅经理可以添加、重命名或删除部门。</translation>
    </message>
    <message>
        <location filename="../../ui/departments_dialog.py" line="145"/>
        <source>%1 is a group standard department: HQ names it, and it cannot be renamed or deleted here.</source>
        <translation>%1是集团标准部门，由总部命名，不能在此重命名或删除。</translation>
    </message>
    <message>
        <location filename="../../ui/departments_dialog.py" line="149"/>
        <source>A department can be deleted only when nobody belongs to it, including people who have left.</source>
        <translation>只有在没有任何员工（包括已离职员工）属于该部门时才能删除。</translation>
    </message>
    <message>
        <location filename="../../ui/departments_dialog.py" line="175"/>
        <source>Delete department</source>
        <translation>删除部门</translation>
    </message>
    <message>
        <location filename="../../ui/departments_dialog.py" line="176"/>
        <source>Delete the department %1 (%2)?</source>
        <translation>确定删除部门 %1（%2）吗？</translation>
    </message>
    <message>
        <location filename="../../ui/departments_dialog.py" line="180"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>EmployeeDialog</name>
    <message>
        <location filename="../../ui/employee_dialog.py" line="43"/>
        <source>Edit employee</source>
        <translation>编辑员工</translation>
    </message>
    <message>
        <location filename="../../ui/employee_dialog.py" line="43"/>
        <source>Hire employee</source>
        <translation>新员工入职</translation>
    </message>
    <message>
        <location filename="../../ui/employee_dialog.py" line="82"/>
        <source>Employment history</source>
        <translation>任职记录</translation>
    </message>
    <message>
        <location filename="../../ui/employee_dialog.py" line="109"/>
        <source>Only a manager can see or change this field</source>
        <translation>仅经理可查看或修改此项</translation>
    </message>
    <message>
        <location filename="../../ui/employee_dialog.py" line="114"/>
        <source>Hired</source>
        <translation>入职</translation>
    </message>
    <message>
        <location filename="../../ui/employee_dialog.py" line="114"/>
        <source>Left</source>
        <translation>离职</translation>
    </message>
    <message>
        <location filename="../../ui/employee_dialog.py" line="115"/>
        <source>Rehired</source>
        <translation>复职</translation>
    </message>
    <message>
        <location filename="../../ui/employee_dialog.py" line="115"/>
        <source>Transferred</source>
        <translation>调动</translation>
    </message>
    <message>
        <location filename="../../ui/employee_dialog.py" line="159"/>
        <source>Born %1, %2</source>
        <translation>出生日期 %1，%2</translation>
    </message>
</context>
<context>
    <name>EmployeeTableModel</name>
    <message>
        <location filename="../../ui/employee_model.py" line="25"/>
        <source>Active</source>
        <translation>在职</translation>
    </message>
    <message>
        <location filename="../../ui/employee_model.py" line="26"/>
        <source>Left</source>
        <translation>离职</translation>
    </message>
    <message>
        <location filename="../../ui/employee_model.py" line="27"/>
        <source>Transferred</source>
        <translation>调动</translation>
    </message>
    <message>
        <location filename="../../ui/employee_model.py" line="32"/>
        <source>Male</source>
        <translation>男</translation>
    </message>
    <message>
        <location filename="../../ui/employee_model.py" line="33"/>
        <source>Female</source>
        <translation>女</translation>
    </message>
    <message>
        <location filename="../../ui/employee_model.py" line="39"/>
        <source>No.</source>
        <translation>工号</translation>
    </message>
    <message>
        <location filename="../../ui/employee_model.py" line="40"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../ui/employee_model.py" line="41"/>
        <source>Gender</source>
        <translation>性别</translation>
    </message>
    <message>
        <location filename="../../ui/employee_model.py" line="42"/>
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <location filename="../../ui/employee_model.py" line="43"/>
        <source>Position</source>
        <translation>职位</translation>
    </message>
    <message>
        <location filename="../../ui/employee_model.py" line="44"/>
        <source>Phone</source>
        <translation>手机</translation>
    </message>
    <message>
        <location filename="../../ui/employee_model.py" line="45"/>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <location filename="../../ui/employee_model.py" line="46"/>
        <source>Hire date</source>
        <translation>入职日期</translation>
    </message>
    <message>
        <location filename="../../ui/employee_model.py" line="47"/>
        <source>Base salary</source>
        <translation>基本工资</translation>
    </message>
    <message>
        <location filename="../../ui/employee_model.py" line="48"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
</context>
<context>
    <name>EmployeesPage</name>
    <message>
        <location filename="../../ui/employees_page.py" line="49"/>
        <source>Search name, number or phone</source>
        <translation>搜索姓名、工号或手机号</translation>
    </message>
    <message>
        <location filename="../../ui/employees_page.py" line="52"/>
        <source>All departments</source>
        <translation>全部部门</translation>
    </message>
    <message>
        <location filename="../../ui/employees_page.py" line="54"/>
        <source>All statuses</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <location filename="../../ui/employees_page.py" line="54"/>
        <source>Active</source>
        <translation>在职</translation>
    </message>
    <message>
        <location filename="../../ui/employees_page.py" line="55"/>
        <source>Left</source>
        <translation>离职</translation>
    </message>
    <message>
        <location filename="../../ui/employees_page.py" line="55"/>
        <source>Transferred</source>
        <translation>调动</translation>
    </message>
    <message>
        <location filename="../../ui/employees_page.py" line="60"/>
        <source>Hire</source>
        <translation>入职</translation>
    </message>
    <message>
        <location filename="../../ui/employees_page.py" line="62"/>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <location filename="../../ui/employees_page.py" line="63"/>
        <source>Record leave</source>
        <translation>办理离职</translation>
    </message>
    <message>
        <location filename="../../ui/employees_page.py" line="64"/>
        <source>Rehire</source>
        <translation>复职</translation>
    </message>
    <message>
        <location filename="../../ui/employees_page.py" line="65"/>
        <source>Import from Excel…</source>
        <translation>从 Excel 导入…</translation>
    </message>
    <message>
        <location filename="../../ui/employees_page.py" line="66"/>
        <source>Export to Excel…</source>
        <translation>导出到 Excel…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/employees_page.py" line="184"/>
        <source>%n employee(s)</source>
        <translation>
            <numerusform>共 %n 名员工</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/employees_page.py" line="293"/>
        <source>BranchDesk</source>
        <translation>BranchDesk</translation>
    </message>
</context>
<context>
    <name>EnrollDialog</name>
    <message>
        <location filename="../../ui/enroll_dialog.py" line="24"/>
        <source>Connect to group HQ</source>
        <translation>连接集团总部</translation>
    </message>
    <message>
        <location filename="../../ui/enroll_dialog.py" line="26"/>
        <source>Ask HQ for an enrollment code for branch %1. Once enrolled, this desk syncs with HQ in the background whenever the network allows; it keeps working offline.</source>
        <translation>请向总部索取分公司 %1 的注册码。注册后，本机在网络可用时于后台与总部同步；断网时照常工作。</translation>
    </message>
    <message>
        <location filename="../../ui/enroll_dialog.py" line="30"/>
        <source>HQ address</source>
        <translation>总部地址</translation>
    </message>
    <message>
        <location filename="../../ui/enroll_dialog.py" line="32"/>
        <source>Enrollment code</source>
        <translation>注册码</translation>
    </message>
    <message>
        <location filename="../../ui/enroll_dialog.py" line="33"/>
        <source>This computer</source>
        <translation>本机名称</translation>
    </message>
    <message>
        <location filename="../../ui/enroll_dialog.py" line="35"/>
        <source>An enrollment code works once. Enrolling again (for example after HQ revoked this desk) needs a new code.</source>
        <translation>注册码只能使用一次。重新注册（例如总部吊销了本机之后）需要新的注册码。</translation>
    </message>
    <message>
        <location filename="../../ui/enroll_dialog.py" line="37"/>
        <source>Enroll</source>
        <translation>注册</translation>
    </message>
    <message>
        <location filename="../../ui/enroll_dialog.py" line="37"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../ui/enroll_dialog.py" line="44"/>
        <source>Must start with https://</source>
        <translation>必须以 https:// 开头</translation>
    </message>
    <message>
        <location filename="../../ui/enroll_dialog.py" line="47"/>
        <source>Type the code HQ gave you</source>
        <translation>请输入总部提供的注册码</translation>
    </message>
    <message>
        <location filename="../../ui/enroll_dialog.py" line="57"/>
        <source>This code is for HQ branch %1, but this desk is branch %2. Ask HQ for a code for %2.</source>
        <translation>此注册码属于总部的分公司 %1，而本机是分公司 %2。请向总部索取 %2 的注册码。</translation>
    </message>
    <message>
        <location filename="../../ui/enroll_dialog.py" line="61"/>
        <source>HQ no longer supports this version of BranchDesk: %1</source>
        <translation>总部已不再支持此版本的 BranchDesk：%1</translation>
    </message>
    <message>
        <location filename="../../ui/enroll_dialog.py" line="64"/>
        <source>HQ did not accept this code (unknown, already used, expired, or for another branch): %1</source>
        <translation>总部未接受此注册码（无效、已使用、已过期或属于其他分公司）：%1</translation>
    </message>
    <message>
        <location filename="../../ui/enroll_dialog.py" line="68"/>
        <source>Cannot reach HQ at this address. Check the address and the network.</source>
        <translation>无法连接此地址的总部。请检查地址和网络。</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <location filename="../../desktop/messages.py" line="28"/>
        <source>must be 18 characters, got {length}</source>
        <translation>应为 18 位，当前 {length} 位</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="29"/>
        <source>must be 17 digits followed by a digit or X</source>
        <translation>应为 17 位数字加 1 位数字或 X</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="30"/>
        <source>birth date {digits} is not a real date</source>
        <translation>出生日期 {digits} 不是有效日期</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="31"/>
        <source>birth date {date} is out of range</source>
        <translation>出生日期 {date} 超出合理范围</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="32"/>
        <source>checksum digit is {got}, expected {expected}</source>
        <translation>校验位为 {got}，应为 {expected}</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="35"/>
        <source>must be a date like 2024-03-01</source>
        <translation>应为日期，例如 2024-03-01</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="36"/>
        <source>is required: up to 32 letters, digits or &apos;-&apos;</source>
        <translation>必填：最多 32 位字母、数字或“-”</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="37"/>
        <location filename="../../desktop/messages.py" line="42"/>
        <source>is required (at most 64 characters)</source>
        <translation>必填（最多 64 个字符）</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="38"/>
        <source>must be M or F</source>
        <translation>应为 M（男）或 F（女）</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="39"/>
        <source>does not match the ID number</source>
        <translation>与身份证号不符</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="40"/>
        <source>must be an 11-digit mobile or an area-code landline</source>
        <translation>应为 11 位手机号或带区号的座机号</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="41"/>
        <source>unknown department {value!r}</source>
        <translation>未知部门 {value!r}</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="43"/>
        <source>is more than 180 days ahead</source>
        <translation>不能晚于今天 180 天以上</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="44"/>
        <source>must be an amount like 6500.00</source>
        <translation>应为金额，例如 6500.00</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="45"/>
        <source>must be more than 0 and at most 1,000,000</source>
        <translation>应大于 0 且不超过 1,000,000</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="46"/>
        <source>has more than 2 decimal places</source>
        <translation>最多保留 2 位小数</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="47"/>
        <source>must be 12 to 30 digits</source>
        <translation>应为 12 至 30 位数字</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="48"/>
        <source>employee would be {age} at hire: under 16</source>
        <translation>入职时年龄为 {age} 岁，未满 16 周岁</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="49"/>
        <source>{value} is already used</source>
        <translation>{value} 已被使用</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="50"/>
        <source>{value} repeats row {row}</source>
        <translation>{value} 与第 {row} 行重复</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="51"/>
        <source>only a manager can change this field</source>
        <translation>仅经理可修改此项</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="54"/>
        <source>is required (at most 200 characters)</source>
        <translation>必填（最多 200 个字符）</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="55"/>
        <source>{number} is {status}, not active</source>
        <translation>{number} 当前状态为 {status}，不是在职</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="56"/>
        <source>{number} is {status}; only someone who left can be rehired</source>
        <translation>{number} 当前状态为 {status}；只有已离职员工可以复职</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="57"/>
        <source>is before the hire date {date}</source>
        <translation>早于入职日期 {date}</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="58"/>
        <source>is before the leave date {date}</source>
        <translation>早于离职日期 {date}</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="61"/>
        <source>must be 1 to 64 characters</source>
        <translation>应为 1 至 64 个字符</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="62"/>
        <source>{username} already exists</source>
        <translation>{username} 已存在</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="63"/>
        <source>there is no user {username}</source>
        <translation>没有名为 {username} 的用户</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="64"/>
        <source>must be one of {roles}</source>
        <translation>应为以下之一：{roles}</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="65"/>
        <source>must be at least {minimum} characters</source>
        <translation>至少 {minimum} 个字符</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="66"/>
        <source>is not your current password</source>
        <translation>与当前密码不符</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="67"/>
        <source>must be different from the current password</source>
        <translation>不能与当前密码相同</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="68"/>
        <source>{username} is the last active administrator: make someone else an administrator first</source>
        <translation>{username} 是最后一个启用中的管理员：请先将其他用户设为管理员</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="69"/>
        <source>{username} is the last active administrator and cannot be disabled</source>
        <translation>{username} 是最后一个启用中的管理员，不能停用</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="70"/>
        <source>you cannot disable your own account</source>
        <translation>不能停用自己的账户</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="71"/>
        <location filename="../../desktop/messages.py" line="95"/>
        <source>must be 1 to 32 letters, digits, &apos;-&apos; or &apos;_&apos;</source>
        <translation>应为 1 至 32 位字母、数字、“-”或“_”</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="72"/>
        <source>is required (at most 100 characters)</source>
        <translation>必填（最多 100 个字符）</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="73"/>
        <source>department {code} already exists</source>
        <translation>部门 {code} 已存在</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="74"/>
        <source>another department is already called {name}</source>
        <translation>已有其他部门名为 {name}</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="75"/>
        <source>{name} is a group standard department and cannot be renamed</source>
        <translation>{name}是集团标准部门，不能重命名</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="76"/>
        <source>{name} is a group standard department and cannot be deleted</source>
        <translation>{name}是集团标准部门，不能删除</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="77"/>
        <source>{name} still has {count} employee(s), including any who have left, and cannot be deleted</source>
        <translation>{name}仍有 {count} 名员工（含已离职员工），不能删除</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="80"/>
        <source>{file} is not an .xlsx or .csv file (save .xls workbooks as .xlsx in Excel)</source>
        <translation>{file} 不是 .xlsx 或 .csv 文件（.xls 工作簿请先在 Excel 中另存为 .xlsx）</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="81"/>
        <source>{file} is damaged or not a readable {suffix} file</source>
        <translation>{file} 已损坏，或不是可读取的 {suffix} 文件</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="82"/>
        <source>{file} is neither UTF-8 nor GB18030 text</source>
        <translation>{file} 既不是 UTF-8 也不是 GB18030 编码的文本</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="83"/>
        <source>{file} is empty: its first row must be the column headers</source>
        <translation>{file} 是空文件：第一行应为列标题</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="84"/>
        <source>{file} has column headers but no employee rows</source>
        <translation>{file} 只有列标题，没有员工数据行</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="85"/>
        <source>the template is an Excel workbook: name it .xlsx, not {file}</source>
        <translation>模板是 Excel 工作簿：文件名应以 .xlsx 结尾，而不是 {file}</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="86"/>
        <source>unknown column {column!r} in {file}: use the column headers of the template</source>
        <translation>{file} 中有无法识别的列 {column!r}：请使用模板中的列标题</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="87"/>
        <source>column {column!r} appears twice in {file}</source>
        <translation>{file} 中的列 {column!r} 出现了两次</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="88"/>
        <source>{file} has no {column} column, which is required</source>
        <translation>{file} 缺少必填列 {column}</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="89"/>
        <source>column {column} of {file} has values but no header (first in row {row})</source>
        <translation>{file} 的第 {column} 列有数据但没有列标题（首次出现在第 {row} 行）</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="90"/>
        <source>was stored as a number in Excel, which loses digits: store this column as text in Excel and enter it again</source>
        <translation>在 Excel 中被存成了数字，会丢失位数：请在 Excel 中将此列设为文本格式后重新输入</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="91"/>
        <source>is masked (a clerk&apos;s export): enter the full number</source>
        <translation>是打码后的号码（来自文员导出的文件）：请填写完整号码</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="92"/>
        <source>only active employees can be imported; this row is {status}</source>
        <translation>只能导入在职员工；此行的状态是{status}</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="96"/>
        <source>must be 1 to 100 characters</source>
        <translation>应为 1 至 100 个字符</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="97"/>
        <source>this store already has a branch</source>
        <translation>此数据库已设置分支机构</translation>
    </message>
    <message>
        <location filename="../../desktop/messages.py" line="98"/>
        <source>this store already has users: sign in as an administrator</source>
        <translation>此数据库已有用户：请以管理员身份登录</translation>
    </message>
</context>
<context>
    <name>Fields</name>
    <message>
        <location filename="../../ui/messages.py" line="14"/>
        <source>Employee No.</source>
        <translation>工号</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="14"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="14"/>
        <source>Gender</source>
        <translation>性别</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="15"/>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="15"/>
        <source>Phone</source>
        <translation>手机</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="15"/>
        <location filename="../../ui/messages.py" line="26"/>
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="16"/>
        <source>Position</source>
        <translation>职位</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="16"/>
        <source>Hire date</source>
        <translation>入职日期</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="17"/>
        <source>Base salary</source>
        <translation>基本工资</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="17"/>
        <source>Bank account</source>
        <translation>银行账号</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="18"/>
        <source>Leave date</source>
        <translation>离职日期</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="18"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="18"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="19"/>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="19"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="20"/>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="20"/>
        <source>Enabled</source>
        <translation>启用</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="21"/>
        <source>Current password</source>
        <translation>当前密码</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="22"/>
        <source>New password</source>
        <translation>新密码</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="23"/>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="24"/>
        <source>Event</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="25"/>
        <source>Effective date</source>
        <translation>生效日期</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="27"/>
        <source>Employee</source>
        <translation>员工</translation>
    </message>
</context>
<context>
    <name>FormDialog</name>
    <message>
        <location filename="../../ui/forms.py" line="78"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../../ui/forms.py" line="78"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../ui/forms.py" line="144"/>
        <source>Could not save: %1</source>
        <translation>无法保存：%1</translation>
    </message>
</context>
<context>
    <name>HQReasons</name>
    <message>
        <location filename="../../ui/sync_page.py" line="74"/>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <location filename="../../sync/reasons.py" line="25"/>
        <source>field {field!r} cannot be empty</source>
        <translation>“{field}”不能为空</translation>
    </message>
    <message>
        <location filename="../../sync/reasons.py" line="26"/>
        <source>field {field!r} must be text</source>
        <translation>“{field}”必须是文字</translation>
    </message>
    <message>
        <location filename="../../sync/reasons.py" line="27"/>
        <source>field {field!r} contains a NUL character</source>
        <translation>“{field}”含有空字符（NUL）</translation>
    </message>
    <message>
        <location filename="../../sync/reasons.py" line="28"/>
        <source>field {field!r} is longer than {length} characters</source>
        <translation>“{field}”超过 {length} 个字符</translation>
    </message>
    <message>
        <location filename="../../sync/reasons.py" line="29"/>
        <source>field {field!r} must be true or false</source>
        <translation>“{field}”只能是“是”或“否”</translation>
    </message>
    <message>
        <location filename="../../sync/reasons.py" line="30"/>
        <source>field {field!r} must be a date like 2026-01-31</source>
        <translation>“{field}”必须是日期，如 2026-01-31</translation>
    </message>
    <message>
        <location filename="../../sync/reasons.py" line="31"/>
        <source>field {field!r} must be an ISO-8601 UTC timestamp</source>
        <translation>“{field}”必须是 ISO-8601 UTC 时间</translation>
    </message>
    <message>
        <location filename="../../sync/reasons.py" line="32"/>
        <source>field {field!r} must be an amount as a decimal string like &quot;8000.00&quot;</source>
        <translation>“{field}”必须是以文字表示的金额，如 &quot;8000.00&quot;</translation>
    </message>
    <message>
        <location filename="../../sync/reasons.py" line="33"/>
        <source>field {field!r} must be an amount like &quot;8000.00&quot;</source>
        <translation>“{field}”必须是金额，如 &quot;8000.00&quot;</translation>
    </message>
    <message>
        <location filename="../../sync/reasons.py" line="34"/>
        <source>field {field!r} is not a usable amount</source>
        <translation>“{field}”不是有效的金额</translation>
    </message>
    <message>
        <location filename="../../sync/reasons.py" line="35"/>
        <source>field {field!r} has more than two decimal places</source>
        <translation>“{field}”的小数超过两位</translation>
    </message>
    <message>
        <location filename="../../sync/reasons.py" line="38"/>
        <source>change_id is not valid</source>
        <translation>修改编号无效</translation>
    </message>
    <message>
        <location filename="../../sync/reasons.py" line="39"/>
        <source>this change id was already used by another node</source>
        <translation>此修改编号已被另一台电脑使用</translation>
    </message>
    <message>
        <location filename="../../sync/reasons.py" line="40"/>
        <source>this token may only read</source>
        <translation>此令牌只能读取，不能修改</translation>
    </message>
    <message>
        <location filename="../../sync/reasons.py" line="41"/>
        <source>unknown table {table!r}</source>
        <translation>总部不认识数据表“{table}”</translation>
    </message>
    <message>
        <location filename="../../sync/reasons.py" line="42"/>
        <source>row_id is not a valid id</source>
        <translation>记录编号无效</translation>
    </message>
    <message>
        <location filename="../../sync/reasons.py" line="43"/>
        <source>HQ has no such row to delete</source>
        <translation>总部没有这条记录，无法删除</translation>
    </message>
    <message>
        <location filename="../../sync/reasons.py" line="44"/>
        <source>{table} has no field {field!r}</source>
        <translation>{table}没有“{field}”这一项</translation>
    </message>
    <message>
        <location filename="../../sync/reasons.py" line="45"/>
        <source>field &apos;id&apos; differs from row_id</source>
        <translation>记录的编号与修改所指的记录不一致</translation>
    </message>
    <message>
        <location filename="../../sync/reasons.py" line="46"/>
        <source>a new row needs {columns}</source>
        <translation>新记录缺少：{columns}</translation>
    </message>
    <message>
        <location filename="../../sync/reasons.py" line="47"/>
        <source>{table} is append-only: a correction is a new row</source>
        <translation>{table}只能新增：更正请另起一条</translation>
    </message>
    <message>
        <location filename="../../sync/reasons.py" line="50"/>
        <source>{table} is group reference data: only HQ changes it</source>
        <translation>{table}是集团统一数据，只有总部可以修改</translation>
    </message>
    <message>
        <location filename="../../sync/reasons.py" line="51"/>
        <source>this {table} is group reference data: only HQ changes it</source>
        <translation>这条{table}是集团统一数据，只有总部可以修改</translation>
    </message>
    <message>
        <location filename="../../sync/reasons.py" line="52"/>
        <source>this {table} is not in your branch (it belongs to another branch or was transferred)</source>
        <translation>这条{table}不属于本分公司（属于其他分公司，或已调出）</translation>
    </message>
    <message>
        <location filename="../../sync/reasons.py" line="53"/>
        <source>a branch cannot move a row to another branch or to the group; HQ transfers employees</source>
        <translation>分公司不能把记录移到其他分公司或集团；员工调动由总部办理</translation>
    </message>
    <message>
        <location filename="../../sync/reasons.py" line="54"/>
        <source>only HQ sets {field} {value!r}</source>
        <translation>只有总部可以把“{field}”设为“{value}”</translation>
    </message>
    <message>
        <location filename="../../sync/reasons.py" line="55"/>
        <source>{column} refers to a {target} HQ does not have</source>
        <translation>“{column}”所指的{target}在总部不存在</translation>
    </message>
    <message>
        <location filename="../../sync/reasons.py" line="56"/>
        <source>{column} refers to a {target} of another branch</source>
        <translation>“{column}”所指的{target}属于其他分公司</translation>
    </message>
    <message>
        <location filename="../../sync/reasons.py" line="59"/>
        <source>HQ cannot store this row: a unique value (such as the employee number or code) is already taken, or a row it refers to is missing</source>
        <translation>总部无法保存这条记录：某个不能重复的值（如工号或编码）已被占用，或它所指的记录不存在</translation>
    </message>
    <message>
        <location filename="../../sync/reasons.py" line="60"/>
        <source>HQ cannot store this row: a value does not fit its column</source>
        <translation>总部无法保存这条记录：某个值超出了允许的范围</translation>
    </message>
    <message>
        <location filename="../../sync/reasons.py" line="64"/>
        <source>rejected by HQ</source>
        <translation>被总部拒绝</translation>
    </message>
    <message>
        <location filename="../../sync/reasons.py" line="65"/>
        <source>this desk could not store HQ&apos;s version: its {field} is already used by another {table} here</source>
        <translation>本机无法保存总部的版本：本机另一条{table}已使用这个“{field}”</translation>
    </message>
    <message>
        <location filename="../../sync/reasons.py" line="66"/>
        <source>this desk could not store HQ&apos;s version: {detail}</source>
        <translation>本机无法保存总部的版本：{detail}</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <location filename="../../ui/import_export.py" line="80"/>
        <location filename="../../ui/import_export.py" line="141"/>
        <source>Import employees</source>
        <translation>导入员工</translation>
    </message>
    <message>
        <location filename="../../ui/import_export.py" line="84"/>
        <source>Choose an Excel workbook (.xlsx) or a CSV file with one new employee per row, headed like the template. Every row is checked first: if any row has a problem, nothing is imported.</source>
        <translation>请选择 Excel 工作簿（.xlsx）或 CSV 文件，每行一名新员工，列标题与模板一致。导入前会逐行检查：只要有一行有问题，就不会导入任何数据。</translation>
    </message>
    <message>
        <location filename="../../ui/import_export.py" line="90"/>
        <source>No file chosen</source>
        <translation>未选择文件</translation>
    </message>
    <message>
        <location filename="../../ui/import_export.py" line="91"/>
        <source>Choose file…</source>
        <translation>选择文件…</translation>
    </message>
    <message>
        <location filename="../../ui/import_export.py" line="93"/>
        <source>Save blank template…</source>
        <translation>保存空白模板…</translation>
    </message>
    <message>
        <location filename="../../ui/import_export.py" line="107"/>
        <source>Row</source>
        <translation>行号</translation>
    </message>
    <message>
        <location filename="../../ui/import_export.py" line="107"/>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <location filename="../../ui/import_export.py" line="107"/>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <location filename="../../ui/import_export.py" line="120"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../ui/import_export.py" line="142"/>
        <source>Spreadsheets (*.xlsx *.csv);;Excel workbooks (*.xlsx);;CSV files (*.csv)</source>
        <translation>电子表格 (*.xlsx *.csv);;Excel 工作簿 (*.xlsx);;CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <location filename="../../ui/import_export.py" line="152"/>
        <source>Checking and importing %1…</source>
        <translation>正在检查并导入 %1…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/import_export.py" line="160"/>
        <source>%n employee(s) imported.</source>
        <translation>
            <numerusform>已导入 %n 名员工。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/import_export.py" line="168"/>
        <source>%n row(s) have problems, so nothing was imported. Correct them in the file and import it again.</source>
        <translation>
            <numerusform>有 %n 行存在问题，因此未导入任何数据。请在文件中改正后重新导入。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/import_export.py" line="191"/>
        <source>Save blank template</source>
        <translation>保存空白模板</translation>
    </message>
    <message>
        <location filename="../../ui/import_export.py" line="191"/>
        <source>employee import template</source>
        <translation>员工导入模板</translation>
    </message>
    <message>
        <location filename="../../ui/import_export.py" line="192"/>
        <source>Excel workbooks (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../../ui/import_export.py" line="207"/>
        <source>Template saved to %1. Fill in one employee per row (the example row shows the format; replace it), then import it.</source>
        <translation>模板已保存到 %1。请每行填写一名员工（示例行展示了填写格式，请替换为实际员工），然后导入。</translation>
    </message>
</context>
<context>
    <name>ImportExport</name>
    <message>
        <location filename="../../ui/import_export.py" line="55"/>
        <source>The file cannot be opened or saved (is it open in Excel?): %1</source>
        <translation>无法打开或保存文件（是否正在 Excel 中打开？）：%1</translation>
    </message>
    <message>
        <location filename="../../ui/import_export.py" line="58"/>
        <source>Something went wrong: %1</source>
        <translation>出现错误：%1</translation>
    </message>
    <message>
        <location filename="../../ui/import_export.py" line="237"/>
        <source>Export employees</source>
        <translation>导出员工</translation>
    </message>
    <message>
        <location filename="../../ui/import_export.py" line="239"/>
        <source>employees</source>
        <translation>员工名单</translation>
    </message>
    <message>
        <location filename="../../ui/import_export.py" line="242"/>
        <source>Excel workbook (*.xlsx);;CSV file for Excel (*.csv)</source>
        <translation>Excel 工作簿 (*.xlsx);;CSV 文件，可用 Excel 打开 (*.csv)</translation>
    </message>
    <message>
        <location filename="../../ui/import_export.py" line="253"/>
        <source>%n employee(s) exported to %1.</source>
        <translation>已导出 %n 名员工到 %1。</translation>
    </message>
</context>
<context>
    <name>LeaveDialog</name>
    <message>
        <location filename="../../ui/employee_dialog.py" line="209"/>
        <source>Record leave: %1</source>
        <translation>办理离职：%1</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/main_window.py" line="68"/>
        <location filename="../../ui/main_window.py" line="249"/>
        <source>BranchDesk — %1</source>
        <translation>BranchDesk 分支机构人事台 — %1</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="79"/>
        <source>Employees</source>
        <translation>员工</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="83"/>
        <source>Users</source>
        <translation>用户</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="87"/>
        <source>Audit log</source>
        <translation>审计日志</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="269"/>
        <source>Standalone</source>
        <translation>单机模式</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="278"/>
        <source>Not enrolled with group HQ: changes are kept locally and will sync once enrolled</source>
        <translation>尚未接入集团总部：更改保存在本机，接入后自动同步</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="158"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="95"/>
        <source>Sync</source>
        <translation>同步</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="159"/>
        <source>Change my password…</source>
        <translation>修改我的密码…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="163"/>
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="165"/>
        <source>Send this desk&apos;s changes to HQ and fetch HQ&apos;s (F9)</source>
        <translation>将本机的修改发送到总部并获取总部的修改（F9）</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="169"/>
        <location filename="../../ui/main_window.py" line="296"/>
        <source>Connect to HQ…</source>
        <translation>连接总部…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="174"/>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="179"/>
        <source>&amp;Employees</source>
        <translation>员工(&amp;E)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="187"/>
        <source>Departments…</source>
        <translation>部门管理…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="191"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="192"/>
        <location filename="../../ui/main_window.py" line="346"/>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="201"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="202"/>
        <location filename="../../ui/main_window.py" line="353"/>
        <source>About BranchDesk</source>
        <translation>关于 BranchDesk</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="209"/>
        <source>Password changed</source>
        <translation>密码已修改</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="234"/>
        <source>This desk is not enrolled with HQ; an administrator can connect it.</source>
        <translation>本机尚未在总部注册；管理员可以进行连接。</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="251"/>
        <source>Enrolled with HQ as branch %1; syncing now.</source>
        <translation>已在总部注册为分公司 %1，正在同步。</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="267"/>
        <source>never</source>
        <translation>从未</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="270"/>
        <source>Connecting to HQ…</source>
        <translation>正在连接总部…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="271"/>
        <source>Syncing…</source>
        <translation>正在同步…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="272"/>
        <source>Online · synced %1</source>
        <translation>在线 · %1 已同步</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="273"/>
        <source>Offline · last sync %1</source>
        <translation>离线 · 上次同步 %1</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="274"/>
        <source>HQ refused this desk: enroll again</source>
        <translation>总部拒绝了本机：请重新注册</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="275"/>
        <source>Update BranchDesk to sync</source>
        <translation>请升级 BranchDesk 后同步</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="280"/>
        <source>HQ cannot be reached; BranchDesk keeps working and retries by itself. %1</source>
        <translation>无法连接总部；BranchDesk 照常工作并会自动重试。%1</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="282"/>
        <source>HQ no longer accepts this desk&apos;s token (revoked or unknown). An administrator can enroll it again with a new code. %1</source>
        <translation>总部不再接受本机的令牌（已吊销或未知）。管理员可使用新的注册码重新注册。%1</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="284"/>
        <source>HQ needs a newer BranchDesk. %1</source>
        <translation>总部要求更新版本的 BranchDesk。%1</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="288"/>
        <source>HQ: %1</source>
        <translation>总部：%1</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="297"/>
        <source>Enroll again…</source>
        <translation>重新注册…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="317"/>
        <source>%1 of %2 changes</source>
        <translation>%1 / %2 条修改</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="330"/>
        <source>Sync: %1 conflict(s), %2 rejected change(s); see the Sync page</source>
        <translation>同步：%1 处冲突，%2 条修改被拒绝；请查看“同步”页面</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/main_window.py" line="340"/>
        <source>%n change(s) waiting to sync</source>
        <translation>
            <numerusform>%n 项更改待同步</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="347"/>
        <source>The new language applies the next time BranchDesk starts.</source>
        <translation>新的语言将在下次启动 BranchDesk 时生效。</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="351"/>
        <source>BranchDesk %1, the branch HR desk. Data folder: %2</source>
        <translation>BranchDesk %1，分支机构人事管理台。数据文件夹：%2</translation>
    </message>
</context>
<context>
    <name>RehireDialog</name>
    <message>
        <location filename="../../ui/employee_dialog.py" line="238"/>
        <source>Rehire: %1</source>
        <translation>复职：%1</translation>
    </message>
</context>
<context>
    <name>ResetPasswordDialog</name>
    <message>
        <location filename="../../ui/password_dialog.py" line="75"/>
        <source>Reset password: %1</source>
        <translation>重置密码：%1</translation>
    </message>
    <message>
        <location filename="../../ui/password_dialog.py" line="76"/>
        <source>%1 signs in with the new password from now on; the old one stops working. A password has at least %2 characters.</source>
        <translation>%1 此后须使用新密码登录，原密码立即失效。密码至少 %2 个字符。</translation>
    </message>
    <message>
        <location filename="../../ui/password_dialog.py" line="80"/>
        <source>New password</source>
        <translation>新密码</translation>
    </message>
    <message>
        <location filename="../../ui/password_dialog.py" line="80"/>
        <source>New password again</source>
        <translation>确认新密码</translation>
    </message>
</context>
<context>
    <name>RoleDialog</name>
    <message>
        <location filename="../../ui/users_page.py" line="306"/>
        <source>Change role: %1</source>
        <translation>更改角色：%1</translation>
    </message>
    <message>
        <location filename="../../ui/users_page.py" line="309"/>
        <source>Clerks see ID and bank numbers masked; managers also manage departments and read the audit log; administrators also manage users.</source>
        <translation>人事专员看到的身份证号和银行账号为脱敏显示；经理还可以管理部门、查看审计日志；管理员还可以管理用户。</translation>
    </message>
    <message>
        <location filename="../../ui/users_page.py" line="308"/>
        <source>Role</source>
        <translation>角色</translation>
    </message>
</context>
<context>
    <name>Roles</name>
    <message>
        <location filename="../../ui/main_window.py" line="55"/>
        <location filename="../../ui/users_page.py" line="40"/>
        <source>Clerk</source>
        <translation>人事专员</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="56"/>
        <location filename="../../ui/users_page.py" line="41"/>
        <source>Manager</source>
        <translation>经理</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="57"/>
        <location filename="../../ui/users_page.py" line="42"/>
        <source>Administrator</source>
        <translation>管理员</translation>
    </message>
</context>
<context>
    <name>SetupDialog</name>
    <message>
        <location filename="../../ui/setup_dialog.py" line="21"/>
        <source>Set up BranchDesk</source>
        <translation>设置 BranchDesk</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="29"/>
        <source>Welcome. Name this branch and create its first administrator; you can add clerks and managers after signing in.</source>
        <translation>欢迎使用。请填写本分支机构的信息并创建第一位管理员；登录后可再添加人事专员和经理。</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="32"/>
        <source>Branch code</source>
        <translation>分支机构代码</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="33"/>
        <source>Branch name</source>
        <translation>分支机构名称</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="37"/>
        <source>Administrator</source>
        <translation>管理员</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="38"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="39"/>
        <source>Password again</source>
        <translation>再次输入密码</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="35"/>
        <source>%1 has no users yet: create its first administrator.</source>
        <translation>%1 还没有用户：请创建第一位管理员。</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="40"/>
        <source>Set up</source>
        <translation>完成设置</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="40"/>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location filename="../../ui/setup_dialog.py" line="45"/>
        <source>Does not match the password</source>
        <translation>两次输入的密码不一致</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <location filename="../../ui/signin.py" line="33"/>
        <source>Sign in to BranchDesk</source>
        <translation>登录 BranchDesk</translation>
    </message>
    <message>
        <location filename="../../ui/signin.py" line="50"/>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location filename="../../ui/signin.py" line="51"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../ui/signin.py" line="53"/>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../../ui/signin.py" line="54"/>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location filename="../../ui/signin.py" line="60"/>
        <source>Demo store. Sign in as &lt;b&gt;%1&lt;/b&gt; with password &lt;b&gt;%2&lt;/b&gt;</source>
        <translation>演示数据库。请使用用户名 &lt;b&gt;%1&lt;/b&gt;，密码 &lt;b&gt;%2&lt;/b&gt; 登录</translation>
    </message>
    <message>
        <location filename="../../ui/signin.py" line="89"/>
        <source>Wrong user name or password</source>
        <translation>用户名或密码错误</translation>
    </message>
</context>
<context>
    <name>SyncPage</name>
    <message>
        <location filename="../../ui/sync_page.py" line="123"/>
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="125"/>
        <location filename="../../ui/sync_page.py" line="177"/>
        <source>Connect to HQ…</source>
        <translation>连接总部…</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="133"/>
        <location filename="../../ui/sync_page.py" line="157"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="133"/>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="133"/>
        <source>Sent</source>
        <translation>发送</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="134"/>
        <source>Received</source>
        <translation>接收</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="134"/>
        <location filename="../../ui/sync_page.py" line="162"/>
        <location filename="../../ui/sync_page.py" line="210"/>
        <source>Conflicts</source>
        <translation>冲突</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="134"/>
        <source>Rejected</source>
        <translation>被拒绝</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="135"/>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="136"/>
        <source>Decided at</source>
        <translation>裁决时间</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="136"/>
        <location filename="../../ui/sync_page.py" line="157"/>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="136"/>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="137"/>
        <source>HQ value</source>
        <translation>总部的值</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="137"/>
        <source>Branch value</source>
        <translation>分公司的值</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="138"/>
        <source>Kept</source>
        <translation>保留</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="138"/>
        <source>Branch change by</source>
        <translation>分公司修改人</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="139"/>
        <source>Reviewed</source>
        <translation>已查看</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="141"/>
        <source>Show reviewed</source>
        <translation>显示已查看</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="143"/>
        <source>Mark reviewed</source>
        <translation>标记为已查看</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="150"/>
        <source>HQ decides a field both sides changed by who owns it; the other value is kept here.</source>
        <translation>双方都修改的字段由其归属方决定；另一方的值保存在这里。</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="157"/>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="158"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="158"/>
        <source>Change</source>
        <translation>修改内容</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="161"/>
        <source>History</source>
        <translation>历史</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="163"/>
        <location filename="../../ui/sync_page.py" line="213"/>
        <source>Rejected changes</source>
        <translation>被拒绝的修改</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="176"/>
        <source>Enroll again…</source>
        <translation>重新注册…</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="179"/>
        <source>This desk is not enrolled with group HQ: changes stay on this computer until an administrator connects it.</source>
        <translation>本机尚未在集团总部注册：修改保存在本机，直到管理员完成连接。</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="184"/>
        <source>HQ: %1</source>
        <translation>总部：%1</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="185"/>
        <source>Last successful sync: %1</source>
        <translation>上次成功同步：%1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/sync_page.py" line="187"/>
        <source>%n change(s) waiting to sync</source>
        <translation>
            <numerusform>%n 项更改待同步</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/sync_page.py" line="188"/>
        <source>%n open conflict(s)</source>
        <translation>
            <numerusform>%n 处未查看的冲突</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="209"/>
        <source>Conflicts (%1)</source>
        <translation>冲突（%1）</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="211"/>
        <source>Rejected changes (%1)</source>
        <translation>被拒绝的修改（%1）</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="221"/>
        <source>%1 applied, %2 merged; %3 rows updated here</source>
        <translation>应用 %1 条，合并 %2 条；本机更新 %3 行</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="226"/>
        <source>; differed from HQ, downloaded again: %1</source>
        <translation>；与总部不一致，已重新下载：%1</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="229"/>
        <source>; still differs from HQ: %1</source>
        <translation>；重新下载后仍与总部不一致：%1</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="232"/>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="232"/>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="237"/>
        <source>HQ&apos;s value (HQ owns this field)</source>
        <translation>总部的值（此字段归总部）</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="238"/>
        <source>Branch value (the branch owns this field)</source>
        <translation>分公司的值（此字段归分公司）</translation>
    </message>
    <message>
        <location filename="../../ui/sync_page.py" line="241"/>
        <source>%1 at %2</source>
        <translation>%1，%2</translation>
    </message>
</context>
<context>
    <name>UserTableModel</name>
    <message>
        <location filename="../../ui/users_page.py" line="83"/>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location filename="../../ui/users_page.py" line="83"/>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <location filename="../../ui/users_page.py" line="83"/>
        <source>Account</source>
        <translation>账户状态</translation>
    </message>
    <message>
        <location filename="../../ui/users_page.py" line="84"/>
        <source>Created on</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <location filename="../../ui/users_page.py" line="98"/>
        <source>Enabled</source>
        <translation>启用</translation>
    </message>
    <message>
        <location filename="../../ui/users_page.py" line="98"/>
        <source>Disabled</source>
        <translation>已停用</translation>
    </message>
    <message>
        <location filename="../../ui/users_page.py" line="103"/>
        <source>Disabled: %1 cannot sign in</source>
        <translation>已停用：%1 无法登录</translation>
    </message>
</context>
<context>
    <name>UsersPage</name>
    <message>
        <location filename="../../ui/users_page.py" line="117"/>
        <source>Add user</source>
        <translation>添加用户</translation>
    </message>
    <message>
        <location filename="../../ui/users_page.py" line="118"/>
        <source>Reset password</source>
        <translation>重置密码</translation>
    </message>
    <message>
        <location filename="../../ui/users_page.py" line="119"/>
        <source>Change role</source>
        <translation>更改角色</translation>
    </message>
    <message>
        <location filename="../../ui/users_page.py" line="120"/>
        <location filename="../../ui/users_page.py" line="197"/>
        <location filename="../../ui/users_page.py" line="240"/>
        <source>Disable</source>
        <translation>停用</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/users_page.py" line="171"/>
        <source>%n user(s)</source>
        <translation>
            <numerusform>共 %n 个用户</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/users_page.py" line="195"/>
        <source>Enable</source>
        <translation>启用</translation>
    </message>
    <message>
        <location filename="../../ui/users_page.py" line="200"/>
        <source>You cannot disable your own account</source>
        <translation>不能停用自己的账户</translation>
    </message>
    <message>
        <location filename="../../ui/users_page.py" line="236"/>
        <source>Disable user</source>
        <translation>停用用户</translation>
    </message>
    <message>
        <location filename="../../ui/users_page.py" line="237"/>
        <source>Disable %1? They can no longer sign in; their records and audit history stay.</source>
        <translation>确定停用 %1 吗？停用后将无法登录，其记录和审计历史会保留。</translation>
    </message>
    <message>
        <location filename="../../ui/users_page.py" line="241"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../ui/users_page.py" line="258"/>
        <source>Users</source>
        <translation>用户</translation>
    </message>
</context>
<context>
    <name>_PasswordForm</name>
    <message>
        <location filename="../../ui/password_dialog.py" line="48"/>
        <source>Does not match the new password</source>
        <translation>与新密码不一致</translation>
    </message>
</context>
</TS>
