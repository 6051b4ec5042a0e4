// Runs in the outer build after "mvn verify" of the user's application passed: checks that
// both test classes really ran, and that no process of the application outlived the build.

def reports = new File(basedir, 'target/surefire-reports')

def expectTests = { String testClass, int expected ->
	def report = new File(reports, "TEST-com.example.demo.${testClass}.xml")
	assert report.isFile() : "${testClass} did not run: no ${report}"
	def suite = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(report).documentElement
	int tests = suite.getAttribute('tests').toInteger()
	int notPassed = ['failures', 'errors', 'skipped'].sum { suite.getAttribute(it).toInteger() }
	assert tests == expected && notPassed == 0 : "${testClass}: ${tests} test(s), ${notPassed} not passed"
}
// The @SpringBootTest and the @ClusterTest (which asserts the 2 workers and kill(1) itself)
expectTests('DemoApplicationTests', 1)
expectTests('DemoApplicationClusterTests', 2)

// ... against the artifacts this build just made (invoker:install), not stale copies elsewhere
def clusterTests = new File(reports, 'TEST-com.example.demo.DemoApplicationClusterTests.xml').text
def classPath = (clusterTests =~ /name="surefire.test.class.path" value="([^"]*)"/)[0][1].split(':')
['cluster-spring-boot-starter', 'cluster-spring-boot-test'].each { artifact ->
	def jars = classPath.findAll { new File(it).name.startsWith(artifact + '-') }
	assert jars.size() == 1 && new File(jars[0]).canonicalPath.startsWith(new File("${localRepositoryPath}").canonicalPath) :
			"${artifact} on the test class path is not the one installed in ${localRepositoryPath}: ${jars}"
}

def log = new File(basedir, 'build.log').text
assert log.contains('Tests run: 3, Failures: 0, Errors: 0, Skipped: 0') : 'build.log does not report 3 passed tests'

// Every JVM of the application (the surefire fork, the master, the workers) has the
// project's directory on its command line.
def project = basedir.canonicalPath + '/target/'
def leftBehind = {
	new File('/proc').listFiles().findAll { it.name ==~ /\d+/ }.collectMany { process ->
		try {
			def commandLine = new File(process, 'cmdline').bytes
			def text = new String(commandLine, 'UTF-8').replace('\u0000', ' ')
			text.contains(project) ? ["${process.name}: ${text.take(300)}"] : []
		}
		catch (IOException ignored) {
			[] // gone meanwhile
		}
	}
}
def left = leftBehind()
for (int i = 0; i < 20 && left; i++) { // a killed process may take a moment to go
	Thread.sleep(250)
	left = leftBehind()
}
assert left.isEmpty() : "Processes of the application left behind:\n${left.join('\n')}"
return true
